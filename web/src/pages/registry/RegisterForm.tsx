import { Button, Field, Input, Radio, RadioGroup, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { type DataClass, type RegisterRequest, type ServerDetail, parseEnv, registerServer } from './api';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '640px' },
});

type Way = 'package' | 'command' | 'url';
const DATA_CLASSES: DataClass[] = ['public', 'internal', 'personal', 'health'];

/**
 * Declare an MCP server: a Python package and its version, a command administrators allowed, or a URL.
 * Nothing is started or contacted: an administrator reviews the declaration, then inspects it.
 */
export function RegisterForm({ onRegistered }: { onRegistered: (server: ServerDetail) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [way, setWay] = useState<Way>('package');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [version, setVersion] = useState('');
  const [args, setArgs] = useState('');
  const [secret, setSecret] = useState('');
  const [env, setEnv] = useState('');
  const [dataClass, setDataClass] = useState<DataClass>('public');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const body: RegisterRequest = { name: name.trim(), data_class: dataClass };
      if (way === 'url') {
        body.url = target.trim();
        if (secret) body.bearer = secret;
      } else {
        if (way === 'package') {
          body.package = target.trim();
          body.version = version.trim();
        } else {
          body.command = target.trim();
        }
        const words = args.split('\n').map((line) => line.trim()).filter(Boolean);
        if (words.length) body.args = words;
        const parsed = parseEnv(env);
        if (Object.keys(parsed).length) body.env = parsed;
      }
      onRegistered(await registerServer(body));
      setName('');
      setTarget('');
      setVersion('');
      setArgs('');
      setSecret('');
      setEnv('');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const label = { package: t('registry.form.package'), command: t('registry.form.command'), url: t('registry.form.url') }[way];
  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Field label={t('registry.form.name')} hint={t('registry.form.nameHint')} required>
        <Input value={name} onChange={(_, data) => setName(data.value)} />
      </Field>
      <RadioGroup layout="horizontal" value={way} onChange={(_, data) => setWay(data.value as Way)}>
        <Radio value="package" label={t('registry.form.byPackage')} />
        <Radio value="command" label={t('registry.form.byCommand')} />
        <Radio value="url" label={t('registry.form.byUrl')} />
      </RadioGroup>
      <Field label={label} hint={way === 'command' ? t('registry.form.commandHint') : undefined} required>
        <Input value={target} onChange={(_, data) => setTarget(data.value)} />
      </Field>
      {way === 'package' && (
        <Field label={t('registry.form.version')} required>
          <Input value={version} onChange={(_, data) => setVersion(data.value)} />
        </Field>
      )}
      {way === 'url' ? (
        <Field label={t('registry.form.bearer')} hint={t('registry.form.secretHint')}>
          <Input type="password" value={secret} onChange={(_, data) => setSecret(data.value)} />
        </Field>
      ) : (
        <>
          <Field label={t('registry.form.args')}>
            <Textarea value={args} onChange={(_, data) => setArgs(data.value)} />
          </Field>
          <Field label={t('registry.form.env')} hint={t('registry.form.secretHint')}>
            <Textarea value={env} onChange={(_, data) => setEnv(data.value)} />
          </Field>
        </>
      )}
      <Field label={t('registry.form.dataClass')} hint={t('registry.form.dataClassHint')}>
        <Select value={dataClass} onChange={(_, data) => setDataClass(data.value as DataClass)}>
          {DATA_CLASSES.map((value) => (
            <option key={value} value={value}>
              {t(`registry.dataClass.${value}`)}
            </option>
          ))}
        </Select>
      </Field>
      {error !== null && <ErrorMessageBar error={error} />}
      <div>
        <Button
          appearance="primary"
          type="submit"
          disabled={busy || !name.trim() || !target.trim() || (way === 'package' && !version.trim())}
        >
          {busy ? t('registry.form.checking') : t('registry.form.submit')}
        </Button>
      </div>
    </form>
  );
}
