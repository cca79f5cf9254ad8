import { Badge, Button, Field, Select, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useLoad } from '../admin/useLoad';
import { PAGE_ROOT } from '../pageStyles';
import { DraftEditor } from './DraftEditor';
import { RunView } from './RunView';
import { type DataClass, getBatch, listBatches, listSharePointTables, tableFromSharePoint, uploadTable } from './api';

const useStyles = makeStyles({
  root: PAGE_ROOT,
  columns: { display: 'grid', gridTemplateColumns: 'minmax(220px, 1fr) 4fr', gap: tokens.spacingHorizontalXL },
  upload: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '560px' },
});

/** Courriers en série: letters from the rows of a table, a model within policy, review, exports. */
export function CourriersPage() {
  const { t } = useTranslation();
  const styles = useStyles();
  const navigate = useNavigate();
  const { batchId } = useParams();
  const [batches, reloadBatches] = useLoad(['courriers', 'batches'], () => listBatches());
  const [detail, reloadDetail] = useLoad(['courriers', 'batch', batchId], () => (batchId ? getBatch(batchId) : Promise.resolve(null)));
  const select = (id: string | null) => navigate(id ? `/courriers/${id}` : '/courriers');
  const changed = () => {
    reloadBatches();
    reloadDetail();
  };
  return (
    <div className={styles.root}>
      <Text as="h1" size={600} weight="semibold">
        {t('courriers.title')}
      </Text>
      <Text>{t('courriers.subtitle')}</Text>
      <div className={styles.columns}>
        <nav aria-label={t('courriers.list')}>
          {batches.kind === 'loading' && <Spinner size="tiny" />}
          {batches.kind === 'failed' && <ErrorMessageBar error={batches.error} />}
          {batches.kind === 'ready' && (
            <TabList
              vertical
              selectedValue={batchId ?? 'new'}
              onTabSelect={(_, data) => select(data.value === 'new' ? null : String(data.value))}
            >
              <Tab value="new">{t('courriers.new')}</Tab>
              {batches.value.map((batch) => (
                <Tab key={batch.id} value={batch.id}>
                  {batch.title} <Badge size="small">{t(`courriers.status.${batch.status}`)}</Badge>
                </Tab>
              ))}
            </TabList>
          )}
        </nav>
        <div>
          {!batchId && (
            <UploadForm
              className={styles.upload}
              onCreated={(id) => {
                reloadBatches();
                select(id);
              }}
            />
          )}
          {batchId && detail.kind === 'loading' && <Spinner size="tiny" />}
          {batchId && detail.kind === 'failed' && <ErrorMessageBar error={detail.error} />}
          {batchId && detail.kind === 'ready' && detail.value && detail.value.status === 'draft' && (
            <DraftEditor batch={detail.value} onChanged={changed} />
          )}
          {batchId && detail.kind === 'ready' && detail.value && detail.value.status !== 'draft' && (
            <RunView batch={detail.value} onChanged={changed} />
          )}
        </div>
      </div>
    </div>
  );
}

function UploadForm({ className, onCreated }: { className: string; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [picked, setPicked] = useState('');
  const [tables] = useLoad(['courriers', 'sharepoint-tables'], () => listSharePointTables());
  const [dataClass, setDataClass] = useState<DataClass | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    if (!file && !picked) return;
    setBusy(true);
    setError(null);
    try {
      const batch = file ? await uploadTable(file, dataClass) : await tableFromSharePoint(picked, dataClass);
      onCreated(batch.id);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className={className}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Text as="h2" size={500} weight="semibold">
        {t('courriers.upload.title')}
      </Text>
      <Field label={t('courriers.upload.file')} hint={t('courriers.upload.fileHint')} required>
        <input
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-label={t('courriers.upload.file')}
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </Field>
      {tables.kind === 'ready' && tables.value.length > 0 && (
        <Field label={t('courriers.upload.sharepoint')} hint={t('courriers.upload.sharepointHint')}>
          <Select value={picked} disabled={file !== null} onChange={(_, data) => setPicked(data.value)}>
            <option value="">—</option>
            {tables.value.map((table) => (
              <option key={table.item_id} value={table.item_id}>
                {`${table.name} (${table.site})`}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field label={t('courriers.dataClass')} hint={t('courriers.upload.dataClassHint')}>
        <Select value={dataClass} onChange={(_, data) => setDataClass(data.value as DataClass | '')}>
          <option value="">{t('courriers.upload.detect')}</option>
          {(['public', 'internal', 'personal', 'health'] as const).map((value) => (
            <option key={value} value={value}>
              {t(`courriers.classes.${value}`)}
            </option>
          ))}
        </Select>
      </Field>
      {error !== null && <ErrorMessageBar error={error} />}
      <Button appearance="primary" type="submit" disabled={(!file && !picked) || busy}>
        {t('courriers.upload.submit')}
      </Button>
    </form>
  );
}
