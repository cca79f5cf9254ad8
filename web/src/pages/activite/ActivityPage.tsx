import { Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { ApprovalCard } from '../../robots/ApprovalCard';
import { JobCard } from '../../robots/JobCard';
import { useMarkJobsSeen, useNotifications } from '../../notifications/useNotifications';
import { RobotChangeCard } from '../../robots/RobotChangeCard';
import { type Activity, type Approval, type RobotChange, getActivity, listRobotChanges } from '../../robots/api';
import { AutomationsDelivered } from '../automatisations/Delivered';
import { MyAlerts } from '../gouvernance/MyAlerts';
import { PAGE_ROOT } from '../pageStyles';

const useStyles = makeStyles({
  root: PAGE_ROOT,
  error: { color: tokens.colorPaletteRedForeground1 },
  // On a phone the tabs go to the line rather than push the page sideways.
  tabs: { flexWrap: 'wrap', maxWidth: '100%' },
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

  // Robot definitions waiting for this user's approval (owner service or RSSI); none for most users.
  const [changes, setChanges] = useState<RobotChange[]>([]);
  useEffect(() => {
    listRobotChanges()
      .then((listed) => setChanges(Array.isArray(listed) ? listed : []))
      .catch(() => setChanges([]));
  }, []);

  const load = useCallback(() => {
    getActivity()
      .then((loaded) => {
        setActivity(loaded);
        setError(null);
      })
      .catch((failure: unknown) => setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure)));
  }, []);
  // Read again whenever the app bar's counts change (refreshed every 20 s): an approval
  // asked meanwhile — by a colleague or by an automation — appears without reloading the page.
  const { data: waiting } = useNotifications();
  const waitingSignal = waiting ? `${waiting.approvals}:${waiting.jobs}` : undefined;
  useEffect(load, [load, waitingSignal]);
  // The finished jobs are shown here: they no longer count in the app bar's badge.
  const markJobsSeen = useMarkJobsSeen();
  useEffect(() => {
    markJobsSeen().catch(() => undefined); // a badge left counting is no reason to disturb the page
  }, [markJobsSeen]);
  // A decision taken here stays on screen (who decided, the job it started) while the lists are read
  // again: the server no longer counts it among the approvals to give.
  const [decidedHere, setDecidedHere] = useState<Approval[]>([]);
  const onDecided = useCallback(
    (decided: Approval) => {
      setDecidedHere((previous) => [...previous.filter((a) => a.id !== decided.id), decided]);
      load();
    },
    [load],
  );
  const shown = (id: 'to_decide' | 'requests'): Approval[] => {
    const listed = activity?.[id] ?? [];
    if (id !== 'to_decide') return listed;
    const ids = new Set(listed.map((approval) => approval.id));
    return [...listed, ...decidedHere.filter((approval) => !ids.has(approval.id))];
  };

  return (
    <div className={styles.root}>
      <Text as="h1" size={600} weight="semibold">
        {t('robots.activity.title')}
      </Text>
      <RouterLink to="/automatisations">{t('automations.link')}</RouterLink>
      <TabList className={styles.tabs} selectedValue={tab} onTabSelect={(_, data) => setTab(data.value as TabId)}>
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
      {changes.length > 0 && (
        <section className={styles.list} aria-label={t('robots.change.section')}>
          <Text as="h2" size={500} weight="semibold">
            {t('robots.change.section')}
          </Text>
          {changes.map((change) => (
            <RobotChangeCard key={change.id} change={change} />
          ))}
        </section>
      )}
      <MyAlerts />
      <AutomationsDelivered />
      {!activity && !error && <Spinner label={t('robots.activity.loading')} />}
      {activity && (
        <div className={styles.list} data-testid={`activity-${tab}`}>
          {(tab === 'jobs' ? activity.jobs : shown(tab)).length === 0 && <Text>{t(`robots.activity.empty.${tab}`)}</Text>}
          {tab === 'jobs'
            ? activity.jobs.map((job) => <JobCard key={job.id} jobId={job.id} initial={job} />)
            : shown(tab).map((approval) => <ApprovalCard key={approval.id} approval={approval} onDecided={onDecided} />)}
        </div>
      )}
    </div>
  );
}
