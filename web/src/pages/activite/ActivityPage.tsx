import { Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { ApprovalCard } from '../../robots/ApprovalCard';
import { JobCard } from '../../robots/JobCard';
import { type Activity, getActivity } from '../../robots/api';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXXL,
    overflow: 'auto',
    height: '100%',
    boxSizing: 'border-box',
  },
  error: { color: tokens.colorPaletteRedForeground1 },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '820px' },
});

const TABS = ['to_decide', 'requests', 'jobs'] as const;
type TabId = (typeof TABS)[number];

/** Activité: the approvals I may give (inbox), my robot requests, and the jobs I may follow. */
export function ActivityPage() {
  const styles = useStyles();
  const { t } = useTranslation();
  const [activity, setActivity] = useState<Activity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<TabId>('to_decide');

  const load = useCallback(() => {
    getActivity()
      .then((loaded) => {
        setActivity(loaded);
        setError(null);
      })
      .catch((failure: unknown) => setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure)));
  }, []);
  useEffect(load, [load]);

  return (
    <div className={styles.root}>
      <Text as="h1" size={600} weight="semibold">
        {t('robots.activity.title')}
      </Text>
      <TabList selectedValue={tab} onTabSelect={(_, data) => setTab(data.value as TabId)}>
        {TABS.map((id) => (
          <Tab key={id} value={id}>
            {t(`robots.activity.tabs.${id}`, { count: activity?.[id].length ?? 0 })}
          </Tab>
        ))}
      </TabList>
      {error && (
        <Text role="alert" className={styles.error}>
          {error}
        </Text>
      )}
      {!activity && !error && <Spinner label={t('robots.activity.loading')} />}
      {activity && (
        <div className={styles.list} data-testid={`activity-${tab}`}>
          {activity[tab].length === 0 && <Text>{t(`robots.activity.empty.${tab}`)}</Text>}
          {tab === 'jobs'
            ? activity.jobs.map((job) => <JobCard key={job.id} jobId={job.id} initial={job} />)
            : activity[tab].map((approval) => <ApprovalCard key={approval.id} approval={approval} onDecided={load} />)}
        </div>
      )}
    </div>
  );
}
