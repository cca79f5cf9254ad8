import { Badge, Button, Card, Field, Spinner, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useQuery } from '@tanstack/react-query';
import { type Approval, decide, getApproval, getRobot, inputLabel } from './api';
import { JobCard } from './JobCard';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  inputs: { borderCollapse: 'collapse', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  cell: { padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
});

const POLL_MS = 4000;
const STATUS_COLOR = { pending: 'warning', approved: 'success', rejected: 'danger', expired: 'subtle' } as const;

/**
 * A robot launch request. The requester reads who must approve; an approver sees the exact inputs
 * (and their digest, what the approval binds) with Approuver / Refuser.
 */
export function ApprovalCard({
  approval: initial,
  onDecided,
  onSettled,
}: {
  approval: Approval;
  /** The approver decided here. */
  onDecided?: (a: Approval) => void;
  /** The requester's card saw the decision (taken elsewhere) arrive. */
  onSettled?: (a: Approval) => void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [approval, setApproval] = useState(initial);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const waiting = approval.status === 'pending' && !approval.may_decide;
  // Inputs are labelled as the robot's schema describes them, not by their keys; until the schema has
  // come (or failed to), they are not shown, lest the labels change under the reader's eyes.
  const robot = useQuery({ queryKey: ['robot', approval.robot_id], queryFn: () => getRobot(approval.robot_id), staleTime: 60_000 });

  // The requester's card follows the decision: once taken, it shows the job that runs.
  useEffect(() => {
    if (!waiting) return undefined;
    const timer = setInterval(() => {
      getApproval(approval.id)
        .then((current) => {
          if (current.status === 'pending') return;
          setApproval(current);
          onSettled?.(current);
        })
        .catch(() => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [approval.id, waiting, onSettled]);

  const submit = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const decided = await decide(approval.id, approve, reason);
      setApproval(decided);
      onDecided?.(decided);
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.code) : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className={styles.card} data-testid="approval-card" data-status={approval.status}>
      <div className={styles.header}>
        <Text weight="semibold">{approval.robot_name}</Text>
        <Badge appearance="tint" color={STATUS_COLOR[approval.status]}>
          {t(`robots.approvalStatus.${approval.status}`)}
        </Badge>
        <Text size={200} className={styles.muted}>
          {t('robots.risk', { risk: t(`robots.risks.${approval.risk as 'low' | 'medium' | 'high'}`) })}
        </Text>
      </div>
      {approval.status === 'pending' && !approval.may_decide && (
        <Text data-testid="approval-waiting">{t('robots.waitingFor', { approvers: approval.approver_names?.join(', ') || approval.approvers })}</Text>
      )}
      {approval.may_decide && <Text>{t('robots.requestedBy', { name: approval.requester.display_name })}</Text>}
      {robot.isPending ? (
        <Spinner size="tiny" label={t('robots.loadingInputs')} />
      ) : (
        <table className={styles.inputs} aria-label={t('robots.inputs')}>
          <tbody>
            {Object.entries(approval.inputs).map(([name, value]) => (
              <tr key={name}>
                <th className={styles.cell} scope="row" title={name}>
                  {inputLabel(robot.data, name)}
                </th>
                <td className={styles.cell}>{typeof value === 'string' ? value : JSON.stringify(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Text size={100} className={styles.muted}>
        SHA-256 {approval.digest}
      </Text>
      {approval.robot_digest && (
        <Text size={100} className={styles.muted} data-testid="robot-digest">
          {t('robots.definition', { version: approval.robot_version, digest: approval.robot_digest })}
        </Text>
      )}
      {approval.may_decide && (
        <>
          <Field label={t('robots.reason')}>
            <Textarea value={reason} onChange={(_, data) => setReason(data.value)} maxLength={500} />
          </Field>
          <div className={styles.actions}>
            {/* Nobody approves inputs they have not been shown. */}
            <Button appearance="primary" disabled={busy || robot.isPending} onClick={() => void submit(true)}>
              {t('robots.approve')}
            </Button>
            <Button disabled={busy} onClick={() => void submit(false)}>
              {t('robots.reject')}
            </Button>
          </div>
        </>
      )}
      {approval.approver && (
        <Text size={200}>
          {t('robots.decidedBy', { name: approval.approver.display_name })}
          {approval.reason ? ` — ${approval.reason}` : ''}
        </Text>
      )}
      {error && <Text className={styles.muted} role="alert">{error}</Text>}
      {approval.job_id && <JobCard jobId={approval.job_id} />}
    </Card>
  );
}
