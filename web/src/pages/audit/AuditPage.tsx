import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../shell/CurrentUser';
import { canUseApp } from '../../shell/apps';
import { APPS } from '../../shell/apps';
import { NotAllowedPage } from '../NotAllowedPage';
import { useLoad } from '../admin/useLoad';
import { RunDetailPanel } from './RunDetailPanel';
import { type RunFilters, type VerifyReport, listRuns, verifyStore } from './api';
import { PAGE_ROOT, TABLE_SCROLLER } from '../pageStyles';
import { bringToTop } from '../../components/scroll';

const useStyles = makeStyles({
  root: PAGE_ROOT,
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  row: { cursor: 'pointer' },
  scroller: TABLE_SCROLLER,
  // Columns as wide as their content (never overlapping); the frame scrolls when the page is narrower.
  table: { tableLayout: 'auto', minWidth: '980px' },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  detail: { scrollMarginTop: tokens.spacingVerticalM, ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
  // What was asked, on at most two lines: the row stays a row, the whole text is in the detail.
  question: {
    minWidth: '220px',
    maxWidth: '360px',
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
  },
});

const TEXT_FILTERS = ['user', 'assistant', 'model', 'tool', 'since', 'until'] as const;

/** Audit: recorded runs with filters, one run's trace and record, verification, replay, exports. */
export function AuditPage() {
  const { t } = useTranslation();
  const styles = useStyles();
  const user = useCurrentUser();
  const [draft, setDraft] = useState<RunFilters>({});
  const [filters, setFilters] = useState<RunFilters>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [storeCheck, setStoreCheck] = useState<VerifyReport | 'busy' | null>(null);
  const [runs, reload] = useLoad(['audit', 'runs', filters], () => listRuns(filters));
  const detailRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!selected || !detailRef.current) return;
    bringToTop(detailRef.current);
    detailRef.current.focus({ preventScroll: true });
  }, [selected]);
  const app = APPS.find((item) => item.id === 'audit');
  if (!app || !canUseApp(app, user.roles)) return <NotAllowedPage />;
  const auditor = user.roles.includes('auditor');

  const checkStore = async () => {
    setStoreCheck('busy');
    setStoreCheck(await verifyStore());
  };

  return (
    <div className={styles.root}>
      <Text as="h1" size={600} weight="semibold">
        {t('audit.title')}
      </Text>
      <Text>{auditor ? t('audit.subtitleAuditor') : t('audit.subtitleOwn')}</Text>
      <form
        className={styles.filters}
        aria-label={t('audit.filters.label')}
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        {TEXT_FILTERS.map((name) => (
          <Field key={name} label={t(`audit.filters.${name}`)}>
            <Input
              type={name === 'since' || name === 'until' ? 'date' : 'text'}
              value={draft[name] ?? ''}
              onChange={(_, data) => setDraft({ ...draft, [name]: data.value })}
            />
          </Field>
        ))}
        <Checkbox
          label={t('audit.filters.refusals')}
          checked={draft.refusals ?? false}
          onChange={(_, data) => setDraft({ ...draft, refusals: Boolean(data.checked) })}
        />
        <Checkbox
          label={t('audit.filters.approvals')}
          checked={draft.approvals ?? false}
          onChange={(_, data) => setDraft({ ...draft, approvals: Boolean(data.checked) })}
        />
        <Button type="submit" appearance="primary">
          {t('audit.filters.apply')}
        </Button>
        <Button onClick={reload}>{t('audit.refresh')}</Button>
        {auditor && <Button onClick={checkStore}>{t('audit.verifyStore')}</Button>}
      </form>
      {storeCheck === 'busy' && <Spinner size="tiny" label={t('audit.verifying')} />}
      {storeCheck && storeCheck !== 'busy' && <VerifyMessage report={storeCheck} />}
      {runs.kind === 'loading' && <Spinner label={t('audit.loading')} />}
      {runs.kind === 'failed' && (
        <MessageBar intent="error">
          <MessageBarBody>{String((runs.error as Error).message)}</MessageBarBody>
        </MessageBar>
      )}
      {runs.kind === 'ready' && runs.value.length === 0 && <Text>{t('audit.empty')}</Text>}
      {runs.kind === 'ready' && runs.value.length > 0 && (
        <div className={styles.scroller} role="region" aria-label={t('audit.runs.label')} tabIndex={0}>
        <Table aria-label={t('audit.runs.label')} size="small" className={styles.table}>
          <TableHeader>
            <TableRow>
              {(['started', 'user', 'question', 'assistant', 'workflow', 'status', 'tools', 'models', 'refusals'] as const).map(
                (column) => (
                  <TableHeaderCell key={column}>{t(`audit.runs.${column}`)}</TableHeaderCell>
                ),
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {runs.value.map((run) => (
              <TableRow
                key={run.run_id}
                className={run.run_id === selected ? `${styles.row} ${styles.selected}` : styles.row}
                onClick={() => setSelected(run.run_id)}
                onKeyDown={(event) => {
                  if (event.key !== 'Enter' && event.key !== ' ') return;
                  event.preventDefault();
                  setSelected(run.run_id);
                }}
                tabIndex={0}
                aria-selected={run.run_id === selected}
              >
                <TableCell>{run.started_at.slice(0, 19).replace('T', ' ')}</TableCell>
                <TableCell>{run.user_name || run.user_email}</TableCell>
                <TableCell>
                  <span className={styles.question} title={run.question ?? undefined}>
                    {run.question ?? '—'}
                  </span>
                </TableCell>
                <TableCell>
                  {run.assistant_id} v{run.assistant_version}
                </TableCell>
                <TableCell>{run.workflow ?? '—'}</TableCell>
                <TableCell>{t(`audit.status.${run.status}`, { defaultValue: run.status })}</TableCell>
                <TableCell>{run.tools.join(', ') || '—'}</TableCell>
                <TableCell>{run.models.join(', ') || '—'}</TableCell>
                <TableCell>{run.refusals}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        </div>
      )}
      {selected && (
        // The detail opens below the list: it is brought into view (and takes the focus) at once.
        <div ref={detailRef} tabIndex={-1} className={styles.detail}>
          <RunDetailPanel key={selected} runId={selected} />
        </div>
      )}
    </div>
  );
}

export function VerifyMessage({ report }: { report: VerifyReport }) {
  const { t } = useTranslation();
  return (
    <MessageBar intent={report.ok ? 'success' : 'error'}>
      <MessageBarBody>
        {report.ok
          ? t('audit.verify.ok', { records: report.records, anchors: report.anchors })
          : t('audit.verify.failed', { count: report.problems.length })}
        {!report.ok && (
          <ul>
            {report.problems.map((problem) => (
              <li key={`${problem.kind}-${problem.seq}-${problem.detail}`}>
                {t(`audit.problems.${problem.kind}`, { defaultValue: problem.kind })} — {problem.seq ?? '—'} :{' '}
                {problem.detail}
              </li>
            ))}
          </ul>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
