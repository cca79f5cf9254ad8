import {
  Badge,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircle16Filled, DismissCircle16Filled } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { ToolActivity, Turn } from '../../chat/threadView';
import { ConfirmationCard } from '../../confirmations/ConfirmationCard';
import { type Confirmation, isConfirmation } from '../../confirmations/api';
import { ApprovalCard } from '../../robots/ApprovalCard';
import { JobCard } from '../../robots/JobCard';
import type { Approval } from '../../robots/api';
import type { RunRobots } from '../../robots/useThreadRobots';
import type { Feedback, Rating } from '../../chat/api';
import { Answer } from './Answer';
import { AnswerActions } from './AnswerActions';
import { SourcesList } from './Citations';

const useStyles = makeStyles({
  turn: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  request: {
    alignSelf: 'flex-end',
    maxWidth: 'min(80%, 640px)',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusXLarge,
    backgroundColor: tokens.colorBrandBackground2,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  answer: {
    alignSelf: 'flex-start',
    width: 'min(100%, 760px)',
    boxSizing: 'border-box',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderRadius: tokens.borderRadiusXLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
  },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  author: { color: tokens.colorNeutralForeground2 },
  tools: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  tool: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  ok: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0 },
  failed: { color: tokens.colorPaletteRedForeground1, flexShrink: 0 },
  toolDetail: { color: tokens.colorNeutralForeground3 },
  srOnly: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
});

/** What a held tool call's card needs: its stored state, how to decide, whether to wait. */
export interface TurnConfirmation {
  stored?: Confirmation;
  onDecide: (runId: string, confirm: boolean) => Promise<Confirmation>;
  disabled: boolean;
}

/** What can be done with a finished answer: its feedback, and asking again (last answer only). */
export interface TurnActions {
  feedback?: Feedback;
  onFeedback: (runId: string, rating: Rating | null, comment: string) => Promise<void>;
  onRegenerate?: () => void;
}

/** One exchange: the user's message on the right, the assistant's answer on the left. */
export function TurnView({
  turn,
  stored,
  confirmation,
  assistantName,
  actions,
  followUp = false,
  onRobotDecided,
}: {
  turn: Turn;
  stored?: RunRobots;
  confirmation?: TurnConfirmation;
  /** Who answers (the assistant's name); Ariane when not said. */
  assistantName?: string;
  actions?: TurnActions;
  /**
   * The run that reports a robot decision: the server started it, the user typed nothing, and the
   * job it follows is shown on the request's card already.
   */
  followUp?: boolean;
  /** A robot request of this turn was decided elsewhere (its card saw it). */
  onRobotDecided?: (approval: Approval) => void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const live = new Set(turn.approvals.map((approval) => approval.id));
  const approvals: Record<string, unknown>[] = [
    ...turn.approvals,
    ...(stored?.approvals ?? []).filter((a) => !live.has(a.id)).map((a) => ({ ...a })),
  ];
  const jobs = followUp ? [] : [...new Set([...turn.jobs, ...(stored?.jobs ?? [])])];
  // The stored one knows a decision taken since; the live event shows the card before any reload.
  const held = confirmation?.stored ?? (isConfirmation(turn.confirmation) ? turn.confirmation : undefined);
  const going = turn.status === 'running' || turn.status === 'sending';
  const quiet = going && !turn.answer && turn.tools.length === 0;
  return (
    <article className={styles.turn} data-testid="turn" aria-busy={going}>
      {!followUp && (
        <div className={styles.request} data-testid="user-message">
          <span className={styles.srOnly}>{t('chat.you')} : </span>
          <span>{turn.request}</span>
        </div>
      )}
      <div className={styles.answer} data-testid="assistant-message" data-status={turn.status} data-mode={turn.mode ?? undefined}>
        <div className={styles.header}>
          <Text size={200} weight="semibold" className={styles.author}>
            {assistantName ?? t('chat.assistant')}
          </Text>
          {turn.mode === 'extractive' && (
            <Tooltip content={t('chat.extractiveHint')} relationship="description">
              <Badge appearance="tint" color="informative" tabIndex={0}>
                {t('chat.extractive')}
              </Badge>
            </Tooltip>
          )}
        </div>
        {turn.tools.length > 0 && (
          <ul className={styles.tools}>
            {turn.tools.map((activity, n) => (
              <ToolCard key={n} activity={activity} />
            ))}
          </ul>
        )}
        {quiet && <Spinner size="tiny" labelPosition="after" label={t('chat.thinking')} />}
        {turn.answer && <Answer text={turn.answer} citations={turn.citations} turnKey={turn.key} />}
        {approvals.map((approval, n) =>
          typeof approval.id === 'string' && typeof approval.robot_name === 'string' ? (
            <ApprovalCard key={approval.id} approval={approval as unknown as Approval} onSettled={onRobotDecided} />
          ) : (
            <MessageBar key={n} intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{t('chat.approvalTitle')}</MessageBarTitle>
                {typeof approval.detail === 'string' ? approval.detail : ''}
              </MessageBarBody>
            </MessageBar>
          ),
        )}
        {held && confirmation && (
          <ConfirmationCard
            key={`${held.id}:${held.status}`}
            confirmation={held}
            disabled={confirmation.disabled}
            onDecide={(confirm) => confirmation.onDecide(held.run_id, confirm)}
          />
        )}
        {jobs.map((jobId) => (
          <JobCard key={jobId} jobId={jobId} />
        ))}
        <Outcome turn={turn} />
        {turn.citations.length > 0 && <SourcesList citations={turn.citations} turnKey={turn.key} />}
        {actions && turn.runId && !going && turn.answer && (
          <AnswerActions
            answer={turn.answer}
            feedback={actions.feedback}
            onFeedback={(rating, comment) => actions.onFeedback(turn.runId as string, rating, comment)}
            onRegenerate={actions.onRegenerate}
          />
        )}
      </div>
    </article>
  );
}

function ToolCard({ activity }: { activity: ToolActivity }) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <li className={styles.tool} data-testid="tool-activity" data-state={activity.state}>
      {activity.state === 'running' ? (
        <Spinner size="extra-tiny" aria-hidden />
      ) : activity.state === 'ok' ? (
        <CheckmarkCircle16Filled className={styles.ok} aria-label={t('chat.toolDone')} />
      ) : (
        <DismissCircle16Filled className={styles.failed} aria-label={t('chat.toolFailed')} />
      )}
      <Text size={200}>
        {activity.label}
        {activity.detail && <span className={styles.toolDetail}> — {activity.detail}</span>}
      </Text>
    </li>
  );
}

/** How a run ended when it did not end well: the server's French detail, or a word about the status. */
function Outcome({ turn }: { turn: Turn }) {
  const { t } = useTranslation();
  const styles = useStyles();
  if (turn.status === 'stopped') {
    return (
      <Text size={200} italic className={mergeClasses(styles.toolDetail)}>
        {turn.error?.detail ?? t('chat.stopped')}
      </Text>
    );
  }
  const detail =
    turn.error?.detail ??
    (turn.status === 'interrupted' ? t('chat.interrupted') : turn.status === 'failed' ? t('chat.failed') : null);
  if (!detail) return null;
  return (
    <MessageBar intent={turn.status === 'interrupted' ? 'warning' : 'error'} layout="multiline">
      <MessageBarBody>{detail}</MessageBarBody>
    </MessageBar>
  );
}
