import { Button, Label, MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowUpload20Regular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { type ReportSummary, uploadReport } from './api';

const useStyles = makeStyles({
  form: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  field: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, maxWidth: '100%' },
  file: { maxWidth: '100%' },
});

/** Import a web-proxy log (Squid `access.log` or a CSV export): AI administrators and security. */
export function UploadReport({ onUploaded }: { onUploaded: (report: ReportSummary) => void }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const client = useQueryClient();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ReportSummary | null>(null);
  const number = new Intl.NumberFormat(i18n.language);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const report = await uploadReport(file);
      setDone(report);
      await client.invalidateQueries({ queryKey: ['governance'] });
      onUploaded(report);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className={styles.form}
      aria-label={t('governance.shadow.upload')}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className={styles.field}>
        <Label htmlFor={inputId}>{t('governance.shadow.uploadLabel')}</Label>
        <input
          id={inputId}
          className={styles.file}
          type="file"
          accept=".log,.txt,.csv,text/plain,text/csv"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </div>
      <Button type="submit" icon={<ArrowUpload20Regular />} disabled={!file || busy}>
        {busy ? t('governance.shadow.uploading') : t('governance.shadow.upload')}
      </Button>
      {done && (
        <MessageBar intent="success">
          <MessageBarBody>
            {t('governance.shadow.uploaded', {
              name: done.name,
              lines: number.format(done.lines),
              ai: number.format(done.ai_lines),
              malformed: number.format(done.malformed),
            })}
          </MessageBarBody>
        </MessageBar>
      )}
      {error !== null && <ErrorMessageBar error={error} />}
    </form>
  );
}
