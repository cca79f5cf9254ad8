import {
  Badge,
  Button,
  Card,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useLoad } from '../admin/useLoad';
import { type Batch, type BatchChanges, type DataClass, type PreviewRow, act, batchModels, previewBatch, updateBatch } from './api';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '960px' },
  columns: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  letter: { whiteSpace: 'pre-wrap', fontFamily: tokens.fontFamilyBase },
});

/** A draft: the template, the mode and the model (within policy for the table's class), preview, launch. */
export function DraftEditor({ batch, onChanged }: { batch: Batch; onChanged: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [form, setForm] = useState<BatchChanges>({
    data_class: batch.data_class,
    mode: batch.mode,
    model: batch.model,
    instruction: batch.instruction,
    body: batch.body,
    review_required: batch.review_required,
  });
  const [models] = useLoad(['courriers', 'models', batch.id, batch.data_class], () => batchModels(batch.id));
  const [preview, setPreview] = useState<PreviewRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (changes: BatchChanges) => setForm((current) => ({ ...current, ...changes }));
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const changes = (): BatchChanges => (form.mode === 'merge' ? { ...form, model: null } : form);
  const save = () => run(async () => void (await updateBatch(batch.id, changes())));
  const showPreview = () =>
    run(async () => {
      await updateBatch(batch.id, changes());
      setPreview(await previewBatch(batch.id));
    });
  const launch = () =>
    run(async () => {
      await updateBatch(batch.id, changes());
      await act(batch.id, 'launch');
      onChanged();
    });
  const noModel = models.kind === 'ready' && models.value.models.length === 0;
  return (
    <section className={styles.root} aria-label={t('courriers.draft.title')}>
      <Text as="h2" size={500} weight="semibold">
        {batch.title}
      </Text>
      <Text>{t('courriers.draft.rows', { count: batch.total, file: batch.filename })}</Text>
      <div className={styles.columns} aria-label={t('courriers.draft.columns')}>
        {batch.columns.map((column) => (
          <Badge key={column.key} appearance="outline" title={column.name}>{`{{${column.key}}}`}</Badge>
        ))}
      </div>
      <Field label={t('courriers.dataClass')} hint={t('courriers.draft.detected', { label: t(`courriers.classes.${batch.detected_class}`) })}>
        <Select value={form.data_class} onChange={(_, data) => set({ data_class: data.value as DataClass })}>
          {(['public', 'internal', 'personal', 'health'] as const).map((value) => (
            <option key={value} value={value}>
              {t(`courriers.classes.${value}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('courriers.draft.mode')}>
        <RadioGroup value={form.mode} onChange={(_, data) => set({ mode: data.value as 'model' | 'merge' })}>
          <Radio value="model" label={t('courriers.draft.modeModel')} disabled={noModel} />
          <Radio value="merge" label={t('courriers.draft.modeMerge')} />
        </RadioGroup>
      </Field>
      {models.kind === 'failed' && <ErrorMessageBar error={models.error} />}
      {noModel && models.kind === 'ready' && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{models.value.reason}</MessageBarBody>
        </MessageBar>
      )}
      {form.mode === 'model' && models.kind === 'ready' && !noModel && (
        <Field label={t('courriers.draft.model')} hint={t('courriers.draft.temperature')}>
          <Select value={form.model ?? ''} onChange={(_, data) => set({ model: data.value || null })}>
            <option value="">{t('courriers.draft.pickModel')}</option>
            {models.value.models.map((model) => (
              <option key={model.id} value={model.id}>
                {`${model.label} — ${model.hosting_label}`}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {form.mode === 'model' && (
        <Field label={t('courriers.draft.instruction')} hint={t('courriers.draft.instructionHint', { field: '{{consigne}}', interpolation: { escapeValue: false } })}>
          <Textarea resize="vertical" value={form.instruction} onChange={(_, data) => set({ instruction: data.value })} />
        </Field>
      )}
      <Field label={t('courriers.draft.body')} hint={t('courriers.draft.bodyHint', { field: '{{colonne}}', interpolation: { escapeValue: false } })} required>
        <Textarea resize="vertical" rows={8} value={form.body} onChange={(_, data) => set({ body: data.value })} />
      </Field>
      <Checkbox
        checked={form.review_required}
        onChange={(_, data) => set({ review_required: Boolean(data.checked) })}
        label={t('courriers.draft.review')}
      />
      {error !== null && <ErrorMessageBar error={error} />}
      <div className={styles.actions}>
        <Button onClick={() => void save()} disabled={busy}>
          {t('courriers.draft.save')}
        </Button>
        <Button onClick={() => void showPreview()} disabled={busy || !form.body}>
          {t('courriers.draft.preview')}
        </Button>
        <Button appearance="primary" onClick={() => void launch()} disabled={busy || !form.body}>
          {t('courriers.draft.launch')}
        </Button>
      </div>
      {preview?.map((row) => (
        <Card key={row.number} data-testid="preview-row" data-allowed={String(row.allowed)}>
          <Text weight="semibold">
            {t('courriers.draft.previewRow', { number: row.number, label: t(`courriers.classes.${row.data_class}`) })}
          </Text>
          {row.refusal && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>{row.refusal}</MessageBarBody>
            </MessageBar>
          )}
          <Text className={styles.letter}>
            {row.letter ?? row.messages.find((message) => message.role === 'user')?.content}
          </Text>
        </Card>
      ))}
    </section>
  );
}
