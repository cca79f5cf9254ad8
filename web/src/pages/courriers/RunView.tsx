import {
  Badge,
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { useLoad } from '../admin/useLoad';
import { type Batch, type ExportFormat, type Review, type Row, act, batchRows, downloadExport, reviewAll, reviewRow } from './api';

const POLL_MS = 1000;
const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '960px' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  letter: { whiteSpace: 'pre-wrap' },
});

/** A launched batch: progress, pause/resume/cancel, each row's outcome, review, exports. */
export function RunView({ batch, onChanged }: { batch: Batch; onChanged: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [rows, reloadRows] = useLoad(['courriers', 'rows', batch.id, batch.status], () => batchRows(batch.id));
  const [error, setError] = useState<unknown>(null);
  const live = batch.status === 'running';
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      onChanged();
      reloadRows();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [live, onChanged, reloadRows]);
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      onChanged();
      reloadRows();
    } catch (caught) {
      setError(caught);
    }
  };
  const progress = batch.progress;
  return (
    <section className={styles.root} aria-label={batch.title} data-testid="batch-run" data-status={batch.status}>
      <Text as="h2" size={500} weight="semibold">
        {batch.title} <Badge>{t(`courriers.status.${batch.status}`)}</Badge>
      </Text>
      <ProgressBar value={progress.total ? progress.done / progress.total : 0} />
      <Text data-testid="batch-progress">
        {t('courriers.run.progress', {
          done: progress.done,
          total: progress.total,
          succeeded: progress.succeeded,
          refused: progress.refused,
          failed: progress.failed,
        })}
        {live && ` — ${t('courriers.run.rate', { rate: progress.rate_per_minute })}`}
        {live && progress.eta_seconds !== null && ` — ${t('courriers.run.eta', { seconds: Math.round(progress.eta_seconds) })}`}
      </Text>
      {batch.error && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{batch.error}</MessageBarBody>
        </MessageBar>
      )}
      {error !== null && <ErrorMessageBar error={error} />}
      <div className={styles.actions}>
        {live && <Button onClick={() => void run(() => act(batch.id, 'pause'))}>{t('courriers.run.pause')}</Button>}
        {(batch.status === 'paused' || batch.status === 'failed') && (
          <Button onClick={() => void run(() => act(batch.id, 'resume'))}>{t('courriers.run.resume')}</Button>
        )}
        {(live || batch.status === 'paused') && (
          <Button onClick={() => void run(() => act(batch.id, 'cancel'))}>{t('courriers.run.cancel')}</Button>
        )}
        {progress.to_review > 0 && (
          <Button onClick={() => void run(() => reviewAll(batch.id, 'accepted'))}>{t('courriers.run.acceptAll')}</Button>
        )}
        {(['csv', 'xlsx', 'docx', 'zip'] as ExportFormat[]).map((format) => (
          <Button key={format} onClick={() => void run(() => downloadExport(batch.id, format))}>
            {t(`courriers.run.export.${format}`)}
          </Button>
        ))}
      </div>
      {rows.kind === 'failed' && <ErrorMessageBar error={rows.error} />}
      {rows.kind === 'ready' &&
        rows.value.map((row) => (
          <RowCard key={row.number} row={row} onReview={(decision, text) => run(() => reviewRow(batch.id, row.number, decision, text))} />
        ))}
    </section>
  );
}

function RowCard({ row, onReview }: { row: Row; onReview: (decision: Review, text?: string) => Promise<void> }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Card data-testid="batch-row" data-status={row.status} data-review={row.review}>
      <Text weight="semibold">
        {t('courriers.run.row', { number: row.number })} <Badge>{t(`courriers.rowStatus.${row.status}`)}</Badge>{' '}
        {row.status === 'done' && <Badge appearance="outline">{t(`courriers.review.${row.review}`)}</Badge>}
      </Text>
      {row.error && <Text>{row.error}</Text>}
      {editing === null && row.final && <Text className={styles.letter}>{row.final}</Text>}
      {editing !== null && (
        <Textarea aria-label={t('courriers.run.editLabel')} rows={8} value={editing} onChange={(_, data) => setEditing(data.value)} />
      )}
      {row.status === 'done' && (
        <div className={styles.actions}>
          {editing === null ? (
            <>
              <Button size="small" onClick={() => void onReview('accepted')}>
                {t('courriers.run.accept')}
              </Button>
              <Button size="small" onClick={() => setEditing(row.final ?? row.output ?? '')}>
                {t('courriers.run.edit')}
              </Button>
              <Button size="small" onClick={() => void onReview('rejected')}>
                {t('courriers.run.reject')}
              </Button>
            </>
          ) : (
            <Button
              size="small"
              appearance="primary"
              onClick={() => void onReview('edited', editing).then(() => setEditing(null))}
            >
              {t('courriers.run.saveEdit')}
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
