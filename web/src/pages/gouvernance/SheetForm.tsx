import { Button, Checkbox, Dropdown, Field, Input, Option, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useLoad } from '../admin/useLoad';
import { type Sheet, type SystemDetail, type SystemStatus, getMap, saveSheet } from './api';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  questions: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, border: 'none', padding: 0, margin: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

const STATUSES: SystemStatus[] = ['draft', 'in_service', 'suspended', 'retired'];
const TEXTS = ['owner', 'owner_email', 'audience', 'validated_by', 'ethics_review'] as const;
const LABELS = {
  owner: 'governance.map.owner',
  owner_email: 'governance.sheet.ownerEmail',
  audience: 'governance.sheet.audience',
  validated_by: 'governance.sheet.validatedBy',
  ethics_review: 'governance.sheet.ethics',
} as const;
const MAX_LENGTH = { owner: 200, owner_email: 254, audience: 500, validated_by: 200, ethics_review: 500 } as const;

/** Edit a system's sheet (AI administrators): owner, purpose, validation, status, the risk questionnaire. */
export function SheetForm({ system, onDone }: { system: SystemDetail; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [draft, setDraft] = useState<Sheet>(system.sheet);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [map] = useLoad(['governance', 'map'], () => getMap());
  const questions = map.kind === 'ready' ? map.value.questions : [];
  const set = <K extends keyof Sheet>(key: K, value: Sheet[K]) => setDraft((current) => ({ ...current, [key]: value }));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await saveSheet(system.id, {
        owner: draft.owner,
        owner_email: draft.owner_email,
        purpose: draft.purpose,
        audience: draft.audience,
        validated_by: draft.validated_by,
        validated_on: draft.validated_on || null,
        ethics_review: draft.ethics_review,
        status: draft.status,
        notes: draft.notes,
        risk_answers: draft.risk_answers,
      });
      onDone(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className={styles.form}
      aria-label={t('governance.sheet.edit')}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Field label={t('governance.map.statusColumn')}>
        <Dropdown
          value={t(`governance.status.${draft.status}`)}
          selectedOptions={[draft.status]}
          onOptionSelect={(_, data) => set('status', (data.optionValue ?? draft.status) as SystemStatus)}
        >
          {STATUSES.map((status) => (
            <Option key={status} value={status}>
              {t(`governance.status.${status}`)}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {TEXTS.map((key) => (
        <Field key={key} label={t(LABELS[key])}>
          <Input
            type={key === 'owner_email' ? 'email' : 'text'}
            value={draft[key]}
            maxLength={MAX_LENGTH[key]}
            onChange={(_, data) => set(key, data.value)}
          />
        </Field>
      ))}
      <Field label={t('governance.sheet.validatedOn')}>
        <Input type="date" value={draft.validated_on ?? ''} onChange={(_, data) => set('validated_on', data.value || null)} />
      </Field>
      <Field label={t('governance.sheet.purpose')}>
        <Textarea value={draft.purpose} maxLength={2000} onChange={(_, data) => set('purpose', data.value)} />
      </Field>
      <Field label={t('governance.sheet.notes')}>
        <Textarea value={draft.notes} maxLength={4000} onChange={(_, data) => set('notes', data.value)} />
      </Field>
      <fieldset className={styles.questions}>
        <legend className={styles.legend}>{t('governance.sheet.questionnaire')}</legend>
        <Text size={200}>{t('governance.sheet.questionnaireHint')}</Text>
        {questions.map((question) => (
          <Checkbox
            key={question.key}
            label={question.text}
            checked={draft.risk_answers[question.key] ?? 'mixed'}
            onChange={(_, data) => set('risk_answers', { ...draft.risk_answers, [question.key]: Boolean(data.checked) })}
          />
        ))}
      </fieldset>
      {error !== null && <ErrorMessageBar error={error} />}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy}>
          {t('governance.sheet.save')}
        </Button>
        <Button onClick={() => onDone(false)} disabled={busy}>
          {t('governance.sheet.cancel')}
        </Button>
      </div>
    </form>
  );
}
