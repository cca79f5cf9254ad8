import { Badge, Button, Card, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownload16Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Job, download, getJob, isTerminal } from './api';

const POLL_MS = 2000;
const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  files: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
});
const COLOR = { queued: 'informative', running: 'brand', succeeded: 'success', failed: 'danger' } as const;

/** A robot job with its live status (read again until it ends), outputs, files and log. */
export function JobCard({ jobId, initial }: { jobId: string; initial?: Job }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [job, setJob] = useState<Job | null>(initial ?? null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const current = await getJob(jobId);
        if (stopped) return;
        setJob(current);
        if (!isTerminal(current.status)) timer = setTimeout(() => void read(), POLL_MS);
      } catch {
        if (!stopped) timer = setTimeout(() => void read(), POLL_MS * 2);
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId]);

  if (!job) return <Spinner size="tiny" label={t('robots.loadingJob')} />;
  return (
    <Card className={styles.card} data-testid="job-card" data-status={job.status} appearance="filled-alternative">
      <div className={styles.header}>
        <Text weight="semibold">{t('robots.job', { name: job.robot_name })}</Text>
        <Badge color={COLOR[job.status]}>{t(`robots.jobStatus.${job.status}`)}</Badge>
        {!isTerminal(job.status) && <Spinner size="extra-tiny" />}
      </div>
      {job.error && <Text>{job.error.detail}</Text>}
      {Object.keys(job.outputs).length > 0 && (
        <Text size={200} font="monospace">
          {Object.entries(job.outputs)
            .map(([k, v]) => `${k} : ${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' · ')}
        </Text>
      )}
      <div className={styles.files}>
        {job.artifacts.map((name) => (
          <Button key={name} size="small" icon={<ArrowDownload16Regular />} onClick={() => void download(job.id, name)}>
            {name.split('/').at(-1)}
          </Button>
        ))}
        {isTerminal(job.status) && (
          <Button size="small" appearance="subtle" onClick={() => void download(job.id, 'log')}>
            {t('robots.log')}
          </Button>
        )}
      </div>
    </Card>
  );
}
