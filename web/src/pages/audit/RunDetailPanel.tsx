import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { DiffView } from '../admin/DiffView';
import { useLoad } from '../admin/useLoad';
import { VerifyMessage } from './AuditPage';
import { type ReplayReport, type RobotLaunch, type Step, type VerifyReport, exportRun, getRun, replayRun, verifyRun } from './api';
import { spanKind, waterfall } from './waterfall';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'end' },
  waterfall: { display: 'flex', flexDirection: 'column', gap: '2px', fontSize: tokens.fontSizeBase200 },
  line: { display: 'grid', gridTemplateColumns: '360px 1fr 90px', alignItems: 'center', gap: tokens.spacingHorizontalS },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  track: { position: 'relative', height: '12px', backgroundColor: tokens.colorNeutralBackground3 },
  bar: { position: 'absolute', top: 0, bottom: 0, borderRadius: '2px' },
  model: { backgroundColor: tokens.colorPaletteBerryBackground3 },
  tool: { backgroundColor: tokens.colorPaletteTealBackground2 },
  agent: { backgroundColor: tokens.colorBrandBackground },
  node: { backgroundColor: tokens.colorPaletteMarigoldBackground3 },
  other: { backgroundColor: tokens.colorNeutralStroke1 },
  pre: {
    margin: 0,
    maxHeight: '200px',
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground2,
    padding: tokens.spacingHorizontalS,
  },
  sideBySide: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalM },
});

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function decisionLabel(t: (key: 'audit.decision.allowed' | 'audit.decision.refused') => string, value: unknown): string {
  if (value === 'allowed') return t('audit.decision.allowed');
  if (value === 'refused') return t('audit.decision.refused');
  return String(value ?? '—');
}

function message(error: unknown): string {
  return error instanceof ApiError ? (error.detail ?? error.message) : String(error);
}

/** One run: summary, trace waterfall with policy decisions, steps' inputs and outputs, actions. */
export function RunDetailPanel({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [detail] = useLoad(['audit', 'run', runId], () => getRun(runId));
  const [verify, setVerify] = useState<VerifyReport | null>(null);
  const [replay, setReplay] = useState<ReplayReport | null>(null);
  const [model, setModel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(message(caught));
    } finally {
      setBusy(false);
    }
  };
  if (detail.kind === 'loading') return <Spinner label={t('audit.loading')} />;
  if (detail.kind === 'failed') {
    return (
      <MessageBar intent="error">
        <MessageBarBody>{message(detail.error)}</MessageBarBody>
      </MessageBar>
    );
  }
  const run = detail.value;
  const rows = waterfall(run.spans);
  return (
    <section className={styles.root} aria-label={t('audit.detail.label')}>
      <Text as="h2" size={500} weight="semibold">
        {t('audit.detail.title', { user: run.summary.user_name, when: run.now.slice(0, 19).replace('T', ' ') })}
      </Text>
      <Text>
        {t('audit.detail.summary', {
          assistant: `${run.summary.assistant_id} v${run.summary.assistant_version}`,
          workflow: run.summary.workflow ?? '—',
          policy: run.summary.policy_version ?? '—',
        })}
      </Text>
      {run.message && <Text italic>« {run.message} »</Text>}
      <div className={styles.actions}>
        <Button disabled={busy} onClick={() => act(async () => setVerify(await verifyRun(runId)))}>
          {t('audit.actions.verify')}
        </Button>
        <Button appearance="primary" disabled={busy} onClick={() => act(async () => setReplay(await replayRun(runId, null)))}>
          {t('audit.actions.replay')}
        </Button>
        {/* The suggestion is a model this run was allowed to use (none when it called no model). */}
        <Field label={t('audit.actions.model')}>
          <Input value={model} onChange={(_, data) => setModel(data.value)} placeholder={run.summary.models[0]} />
        </Field>
        <Button
          disabled={busy || !model.trim()}
          onClick={() => act(async () => setReplay(await replayRun(runId, model.trim())))}
        >
          {t('audit.actions.whatIf')}
        </Button>
        <Button onClick={() => act(async () => download(`audit-${runId}.json`, await exportRun(runId, 'bundle')))}>
          {t('audit.actions.exportBundle')}
        </Button>
        <Button onClick={() => act(async () => download(`otlp-${runId}.json`, await exportRun(runId, 'otlp')))}>
          {t('audit.actions.exportOtlp')}
        </Button>
        {busy && <Spinner size="tiny" />}
      </div>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {verify && <VerifyMessage report={verify} />}
      {replay && <ReplayResult report={replay} />}
      <Text as="h3" weight="semibold">
        {t('audit.detail.policy')}
      </Text>
      <ul aria-label={t('audit.detail.policy')}>
        {run.policy.map((span) => (
          <li key={span.span_id}>
            {span.name} — {decisionLabel(t, span.attributes['ariane.policy.decision'])}
            {span.attributes['ariane.policy.rule'] ? ` (${String(span.attributes['ariane.policy.rule'])})` : ''}
            {span.attributes['ariane.policy.reason'] ? ` : ${String(span.attributes['ariane.policy.reason'])}` : ''}
          </li>
        ))}
        {run.policy.length === 0 && <li>{t('audit.detail.noPolicy')}</li>}
      </ul>
      {run.approvals.length > 0 && (
        <ul aria-label={t('audit.detail.approvals')}>
          {run.approvals.map((span) => (
            <li key={span.span_id}>{span.name}</li>
          ))}
        </ul>
      )}
      <Text as="h3" weight="semibold">
        {t('audit.detail.waterfall')}
      </Text>
      <div className={styles.waterfall} role="list" aria-label={t('audit.detail.waterfall')}>
        {rows.map((row) => (
          <div key={row.span.span_id} className={styles.line} role="listitem">
            <span className={styles.name} style={{ paddingLeft: `${row.depth * 12}px` }} title={row.span.name}>
              {row.span.name}
              {row.decision ? ` · ${decisionLabel(t, row.decision)}` : ''}
            </span>
            <span className={styles.track}>
              <span
                className={`${styles.bar} ${styles[spanKind(row.span)]}`}
                style={{ left: `${row.offset * 100}%`, width: `${row.width * 100}%` }}
              />
            </span>
            <span>{row.durationMs.toFixed(1)} ms</span>
          </div>
        ))}
      </div>
      <Text as="h3" weight="semibold">
        {t('audit.detail.steps')}
      </Text>
      <ol aria-label={t('audit.detail.steps')}>
        {run.steps
          .filter((step) => step.kind !== 'tool_list')
          .map((step) => (
            <li key={step.step}>
              <StepView step={step} />
            </li>
          ))}
      </ol>
      {run.launch && <LaunchView launch={run.launch} />}
      {run.outcome && (
        <>
          <Text as="h3" weight="semibold">
            {t('audit.detail.answer')}
          </Text>
          <pre className={styles.pre}>{run.outcome.answer}</pre>
        </>
      )}
    </section>
  );
}

function StepView({ step }: { step: Step }) {
  const { t } = useTranslation();
  const styles = useStyles();
  if (!step.captured) return <Text>{t('audit.detail.notCaptured')}</Text>;
  if (step.kind === 'tool_call') {
    return (
      <div>
        <Text weight="semibold">
          {t('audit.detail.tool', { name: `${step.server}.${step.tool}` })} —{' '}
          {step.outcome?.ok ? t('audit.detail.ok') : t('audit.detail.failed')}
        </Text>
        <pre className={styles.pre}>{JSON.stringify(step.arguments, null, 2)}</pre>
        <pre className={styles.pre}>{JSON.stringify(step.outcome, null, 2)}</pre>
      </div>
    );
  }
  return (
    <div>
      <Text weight="semibold">
        {t('audit.detail.model', { request: `${step.request?.method} ${step.request?.path}`, status: step.response?.status })}
      </Text>
      {step.request?.body && <pre className={styles.pre}>{step.request.body}</pre>}
      {step.response?.body && <pre className={styles.pre}>{step.response.body}</pre>}
    </div>
  );
}

function ReplayResult({ report }: { report: ReplayReport }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const otherCode = !report.code.same && (
    <MessageBar intent="warning">
      <MessageBarBody>{t('audit.replay.otherCode')}</MessageBarBody>
    </MessageBar>
  );
  if (report.mode === 'exact') {
    const divergence = report.divergence;
    return (
      <>
        {otherCode}
        <MessageBar intent={report.status === 'identique' ? 'success' : 'error'}>
          <MessageBarBody>
            {report.status === 'identique'
              ? t('audit.replay.identical', { steps: report.steps, ms: report.duration_ms })
              : t('audit.replay.divergence', { step: divergence?.step, kind: divergence?.kind, path: divergence?.path })}
          </MessageBarBody>
        </MessageBar>
        {divergence && (
          <div className={styles.sideBySide}>
            <pre className={styles.pre} aria-label={t('audit.replay.expected')}>
              {JSON.stringify(divergence.expected, null, 2)}
            </pre>
            <pre className={styles.pre} aria-label={t('audit.replay.got')}>
              {JSON.stringify(divergence.got, null, 2)}
            </pre>
          </div>
        )}
      </>
    );
  }
  return (
    <>
      {otherCode}
      <Text weight="semibold">{t('audit.replay.whatIf', { model: report.model })}</Text>
      <div className={styles.sideBySide}>
        <pre className={styles.pre} aria-label={t('audit.replay.recorded')}>
          {report.answer.recorded}
        </pre>
        <pre className={styles.pre} aria-label={t('audit.replay.replayed')}>
          {report.answer.replayed}
        </pre>
      </div>
      <DiffView diff={(report.diff ?? []).join('\n')} label={t('audit.replay.diff')} />
    </>
  );
}

/** A robot's launch after its approval: who approved, on whose behalf, the exact inputs, the job. */
function LaunchView({ launch }: { launch: RobotLaunch }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { approval, robot, job, actor } = launch;
  const by = actor.kind === 'automation' ? t('audit.launch.byAutomation', { name: actor.name }) : t('audit.launch.byUser', { name: actor.display_name });
  return (
    <section aria-label={t('audit.launch.title')}>
      <Text as="h3" weight="semibold">
        {t('audit.launch.title')}
      </Text>
      <ul>
        <li>{t('audit.launch.robot', { name: robot.name, version: robot.version })}</li>
        <li>{by}</li>
        <li>
          {t('audit.launch.decision', {
            status: approval.status,
            who: approval.approver?.display_name ?? '—',
            when: approval.decided_at ?? '—',
          })}
          {approval.reason ? ` (${approval.reason})` : ''}
        </li>
        <li>{job ? t('audit.launch.job', { id: job.id, status: job.status }) : t('audit.launch.noJob')}</li>
        <li>{t('audit.launch.digest', { digest: launch.digest })}</li>
      </ul>
      {launch.inputs && <pre className={styles.pre}>{JSON.stringify(launch.inputs, null, 2)}</pre>}
    </section>
  );
}
