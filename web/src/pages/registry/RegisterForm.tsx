import { Button, Field, Input, Radio, RadioGroup, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { type RegisterRequest, type ServerDetail, parseEnv, registerServer } from './api';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '640px' },
});

/** Register an MCP server by URL or by command; it then waits for an administrator's review. */
export function RegisterForm({ onRegistered }: { onRegistered: (server: ServerDetail) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [way, setWay] = useState<'command' | 'url'>('command');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [secret, setSecret] = useState('');
  const [env, setEnv] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const body: RegisterRequest = { name: name.trim() };
      if (way === 'url') {
        body.url = target.trim();
        if (secret) body.bearer = secret;
      } else {
        body.command = target.trim();
        const parsed = parseEnv(env);
        if (Object.keys(parsed).length) body.env = parsed;
      }
      onRegistered(await registerServer(body));
      setName('');
      setTarget('');
      setSecret('');
      setEnv('');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

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
      <RadioGroup layout="horizontal" value={way} onChange={(_, data) => setWay(data.value as 'command' | 'url')}>
        <Radio value="command" label={t('registry.form.byCommand')} />
        <Radio value="url" label={t('registry.form.byUrl')} />
      </RadioGroup>
      <Field label={way === 'url' ? t('registry.form.url') : t('registry.form.command')} required>
        <Input value={target} onChange={(_, data) => setTarget(data.value)} />
      </Field>
      {way === 'url' ? (
        <Field label={t('registry.form.bearer')} hint={t('registry.form.secretHint')}>
          <Input type="password" value={secret} onChange={(_, data) => setSecret(data.value)} />
        </Field>
      ) : (
        <Field label={t('registry.form.env')} hint={t('registry.form.secretHint')}>
          <Textarea value={env} onChange={(_, data) => setEnv(data.value)} />
        </Field>
      )}
      {error !== null && <ErrorMessageBar error={error} />}
      <div>
        <Button appearance="primary" type="submit" disabled={busy || !name.trim() || !target.trim()}>
          {busy ? t('registry.form.checking') : t('registry.form.submit')}
        </Button>
      </div>
    </form>
  );
}
