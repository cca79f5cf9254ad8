import { Button, Card, Checkbox, Field, Input, Radio, RadioGroup, Select, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { type Automation, type AutomationDraft, type AutomationKind, createAutomation, listRobots } from './api';

/** The placeholders a message may use (server/automations/messages.py), by what fires it. */
const FIELDS: Record<Fields['kind'], string[]> = {
  mail: ['automatisation', 'expediteur', 'objet', 'recu_le', 'indices', 'comptes', 'corps'],
  schedule: ['automatisation', 'creneau'],
};

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '880px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', '> *': { flexGrow: 1, minWidth: '220px' } },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

interface Fields {
  name: string;
  kind: 'mail' | 'schedule';
  action: AutomationKind;
  robotId: string;
  message: string;
  model: string;
  owner: string;
  mailbox: string;
  sender: string;
  subject: string;
  body: string;
  cron: string;
  catchUp: boolean;
  inputs: string;
  notify: string;
}

const EMPTY: Fields = {
  name: '',
  kind: 'mail',
  action: 'robot',
  robotId: '',
  message: '',
  model: '',
  owner: '',
  mailbox: '',
  sender: '',
  subject: '',
  body: '',
  cron: '0 7 * * *',
  catchUp: true,
  inputs: '',
  notify: '',
};

/** Blank fields are left out: the server applies its defaults (the owner is then the creator). */
function given(text: string): string | undefined {
  return text.trim() || undefined;
}

/**
 * The draft the server takes, or the French reason it cannot be built here (the robot's fixed
 * inputs must be a JSON object). Everything else is checked by the server, which says why in French.
 */
function draftOf(fields: Fields, invalidInputs: string): AutomationDraft | string {
  let inputs: unknown = {};
  if (fields.inputs.trim()) {
    try {
      inputs = JSON.parse(fields.inputs);
    } catch {
      return invalidInputs;
    }
  }
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) return invalidInputs;
  const robot = fields.action === 'robot';
  const common = {
    name: fields.name.trim(),
    kind: fields.kind,
    action: fields.action,
    robot_id: robot ? fields.robotId : undefined,
    message: robot ? undefined : given(fields.message),
    owner: given(fields.owner),
    inputs: robot ? (inputs as Record<string, unknown>) : {},
    model: robot ? given(fields.model) : undefined,
    notify: fields.notify.split(/[\s,;]+/).filter(Boolean),
  };
  if (fields.kind === 'schedule') return { ...common, cron: given(fields.cron), catch_up: fields.catchUp };
  return {
    ...common,
    mailbox: given(fields.mailbox),
    filter: { sender: given(fields.sender), subject: given(fields.subject), body: given(fields.body) },
  };
}

/** « Nouvelle automatisation »: a mail trigger or a schedule, created pending the robot's approvers. */
export function NewAutomationForm({ onCreated, onCancel }: { onCreated: (created: Automation) => void; onCancel: () => void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [robots, setRobots] = useState<{ id: string; name: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    listRobots()
      .then(setRobots)
      .catch((failure: unknown) => setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure)));
  }, []);
  const robot = fields.action === 'robot';
  const set = (patch: Partial<Fields>) => setFields((previous) => ({ ...previous, ...patch }));
  const text = (key: keyof Fields) => ({
    value: String(fields[key]),
    onChange: (_: unknown, data: { value: string }) => set({ [key]: data.value }),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const draft = draftOf(fields, t('automations.form.invalidInputs'));
    if (typeof draft === 'string') {
      setError(draft);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await createAutomation(draft));
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card>
      <form className={styles.form} aria-label={t('automations.form.title')} onSubmit={submit}>
        <Text as="h2" size={500} weight="semibold">
          {t('automations.form.title')}
        </Text>
        <div className={styles.row}>
          <Field label={t('automations.form.name')} required>
            <Input {...text('name')} />
          </Field>
          {robot && (
            <Field label={t('automations.form.robot')} required>
              <Select value={fields.robotId} onChange={(_, data) => set({ robotId: data.value })}>
                <option value="">{t('automations.form.pickRobot')}</option>
                {robots.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name}
                  </option>
                ))}
              </Select>
            </Field>
          )}
        </div>
        <Field label={t('automations.form.action')}>
          <RadioGroup layout="horizontal" value={fields.action} onChange={(_, data) => set({ action: data.value as AutomationKind })}>
            <Radio value="robot" label={t('automations.form.actions.robot')} />
            <Radio value="chat" label={t('automations.form.actions.chat')} />
            <Radio value="mail" label={t('automations.form.actions.mail')} />
          </RadioGroup>
        </Field>
        <Field label={t('automations.form.kind')}>
          <RadioGroup layout="horizontal" value={fields.kind} onChange={(_, data) => set({ kind: data.value as Fields['kind'] })}>
            <Radio value="mail" label={t('automations.form.kinds.mail')} />
            <Radio value="schedule" label={t('automations.form.kinds.schedule')} />
          </RadioGroup>
        </Field>
        {fields.kind === 'mail' ? (
          <>
            <Field label={t('automations.form.mailbox')} required>
              <Input type="email" placeholder="alertes-securite@…" {...text('mailbox')} />
            </Field>
            <div className={styles.row}>
              <Field label={t('automations.form.sender')} hint={t('automations.form.senderHint')}>
                <Input {...text('sender')} />
              </Field>
              <Field label={t('automations.form.subject')}>
                <Input {...text('subject')} />
              </Field>
              <Field label={t('automations.form.body')}>
                <Input {...text('body')} />
              </Field>
            </div>
          </>
        ) : (
          <div className={styles.row}>
            <Field label={t('automations.form.cron')} hint={t('automations.form.cronHint')} required>
              <Input {...text('cron')} />
            </Field>
            <Checkbox
              checked={fields.catchUp}
              onChange={(_, data) => set({ catchUp: data.checked === true })}
              label={t('automations.form.catchUp')}
            />
          </div>
        )}
        <div className={styles.row}>
          <Field label={t('automations.form.owner')} hint={t(robot ? 'automations.form.ownerHint' : 'automations.form.ownerHintMessage')}>
            <Input type="email" {...text('owner')} />
          </Field>
          <Field label={t('automations.form.notify')} hint={t('automations.form.notifyHint')}>
            <Input {...text('notify')} />
          </Field>
        </div>
        {robot ? (
          <>
            <Field label={t('automations.form.inputs')} hint={t('automations.form.inputsHint')}>
              <Textarea resize="vertical" {...text('inputs')} />
            </Field>
            <Field label={t('automations.form.model')} hint={t(`automations.form.modelHint.${fields.kind}`)}>
              <Input {...text('model')} />
            </Field>
          </>
        ) : (
          <Field
            label={t('automations.form.message')}
            hint={t('automations.form.messageHint', { fields: FIELDS[fields.kind].map((name) => `{{ ${name} }}`).join(', ') })}
            required
          >
            <Textarea resize="vertical" rows={5} {...text('message')} />
          </Field>
        )}
        {error && (
          <Text role="alert" className={styles.error}>
            {error}
          </Text>
        )}
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy || !fields.name.trim() || (robot ? !fields.robotId : !fields.message.trim())}>
            {t('automations.form.create')}
          </Button>
          <Button onClick={onCancel} disabled={busy}>
            {t('automations.form.cancel')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
