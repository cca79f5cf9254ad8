import { Button, MessageBar, MessageBarBody, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowLeft24Regular } from '@fluentui/react-icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { type Rating, getRun, giveFeedback, threadFeedback, withdrawFeedback } from '../../chat/api';
import type { Approval } from '../../robots/api';
import type { Assistant } from '../../assistants/types';
import { useAssistant } from '../../assistants/useAssistant';
import { type OutgoingMessage, useThreadRuns } from '../../chat/useThreadRuns';
import type { RunStatus } from '../../chat/types';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { AttachmentThread } from './Citations';
import { Composer } from './Composer';
import { StarterPrompts } from './StarterPrompts';
import { useThreadRobots } from '../../robots/useThreadRobots';
import { decideConfirmation } from '../../confirmations/api';
import { useThreadConfirmations } from '../../confirmations/useThreadConfirmations';
import { ExportMenu } from './ExportMenu';
import { TurnView } from './TurnView';

const NARROW = '@media (max-width: 640px)';
/** The general assistant: conversations with it show Ariane's own welcome and no assistant name. */
export const GENERAL_ASSISTANT = 'ariane';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    minHeight: '48px',
    padding: `0 ${tokens.spacingHorizontalL}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  back: { display: 'none', [NARROW]: { display: 'inline-flex' } },
  headerActions: { marginInlineStart: 'auto', flexShrink: 0 },
  title: { margin: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  assistantName: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap' },
  scroller: { flexGrow: 1, overflowY: 'auto', backgroundColor: tokens.colorNeutralBackground2 },
  log: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXL,
    width: 'min(100%, 900px)',
    boxSizing: 'border-box',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
  },
  welcome: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}`,
    textAlign: 'center',
  },
  welcomeText: { margin: 0, maxWidth: '52ch', color: tokens.colorNeutralForeground2 },
  errors: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL} 0` },
});

/** The frame of the chat's main column: a title bar, a scrolling middle, errors, and the composer. */
export function ChatColumn({
  title,
  assistant,
  children,
  error,
  composer,
  actions,
}: {
  title: string;
  /** Buttons at the end of the title bar (export…). */
  actions?: ReactNode;
  /** The name of the assistant the conversation is with, shown beside its title. */
  assistant?: string;
  children: ReactNode;
  error?: ReactNode;
  composer?: ReactNode;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <section className={styles.root} aria-labelledby="chat-title">
      <header className={styles.header}>
        <Button
          className={styles.back}
          appearance="subtle"
          icon={<ArrowLeft24Regular />}
          aria-label={t('chat.back')}
          onClick={() => navigate('/chat')}
        />
        <Text as="h1" id="chat-title" size={500} weight="semibold" className={styles.title}>
          {title}
        </Text>
        {assistant && (
          <Text size={300} className={styles.assistantName} data-testid="thread-assistant">
            {t('assistants.withAssistant', { name: assistant })}
          </Text>
        )}
        {actions && <div className={styles.headerActions}>{actions}</div>}
      </header>
      {children}
      {error && <div className={styles.errors}>{error}</div>}
      {composer}
    </section>
  );
}

/** What an empty conversation shows: what Ariane (or the assistant) does, and examples to start with. */
export function Welcome({
  onPick,
  disabled,
  assistant,
}: {
  onPick: (message: string) => void;
  disabled?: boolean;
  assistant?: Assistant | null;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const own = assistant && assistant.id !== GENERAL_ASSISTANT ? assistant : null;
  return (
    <div className={styles.welcome}>
      <Text as="p" size={400} className={styles.welcomeText}>
        {own?.description || t('apps.chat.empty')}
      </Text>
      <StarterPrompts onPick={onPick} disabled={disabled} prompts={own?.starter_prompts} />
    </div>
  );
}

interface ThreadPaneProps {
  threadId: string;
  /** The title as the conversation list knows it (renamed since the thread was loaded). */
  title?: string;
  initialMessage?: OutgoingMessage;
  /** Called before the first message of a conversation is sent, e.g. to title it. */
  onFirstMessage?: (message: string, currentTitle: string) => void;
  onRunChange?: (status: RunStatus) => void;
}

/** One conversation: its exchanges, streamed live, and the composer. */
export function ThreadPane({ threadId, title, initialMessage, onFirstMessage, onRunChange }: ThreadPaneProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { thread, view, loadError, error, running, send, followRun, stop } = useThreadRuns(threadId, { initialMessage, onRunChange });
  const { assistant } = useAssistant(thread?.assistant_id);
  // Only conversations that asked for a robot have cards to restore.
  const hasRobots =
    (thread?.runs ?? []).some((run) => run.workflow === 'robot_request') ||
    view.turns.some((turn) => turn.approvals.length > 0 || turn.jobs.length > 0);
  const robots = useThreadRobots(threadId, `${view.turns.length}:${running}`, hasRobots);
  // Only conversations where a tool agent ran may hold a call for confirmation.
  const mayHold =
    (thread?.runs ?? []).some((run) => run.workflow === 'tool_agent' || run.workflow === 'tool_confirmation') ||
    view.turns.some((turn) => turn.confirmation !== null);
  // Runs that report a robot decision: known from the stored approvals, or seen arriving live.
  const [decidedLive, setDecidedLive] = useState<string[]>([]);
  const [pickedModel, setPickedModel] = useState(''); // the composer's model, for « Régénérer »
  const followUps = useMemo(() => {
    const ids = new Set(decidedLive);
    // An automation's message answers no one's question: shown without a message the user never typed.
    for (const run of thread?.runs ?? []) if (run.workflow === 'automation_message') ids.add(run.id);
    for (const entry of robots.values()) {
      for (const approval of entry.approvals) if (approval.resumed_run_id) ids.add(approval.resumed_run_id);
    }
    return ids;
  }, [robots, decidedLive, thread?.runs]);
  const onRobotDecided = useCallback(
    (approval: Approval) => {
      const runId = approval.resumed_run_id;
      if (!runId || followUps.has(runId) || view.turns.some((turn) => turn.runId === runId)) return;
      setDecidedLive((ids) => [...ids, runId]);
      // The decision's report streams in as the thread's next exchange, as it will show after a reload.
      getRun(runId).then(followRun, () => undefined);
    },
    [followUps, view.turns, followRun],
  );
  const confirmations = useThreadConfirmations(threadId, `${view.turns.length}:${running}`, mayHold);
  const decide = async (runId: string, confirm: boolean) => {
    const decision = await decideConfirmation(runId, confirm);
    followRun(decision.run); // the result streams in as the thread's next exchange
    return decision.confirmation;
  };
  const queryClient = useQueryClient();
  const feedback = useQuery({ queryKey: ['feedback', threadId], queryFn: () => threadFeedback(threadId) });
  const rate = async (runId: string, rating: Rating | null, comment: string) => {
    if (rating === null) await withdrawFeedback(runId);
    else await giveFeedback(runId, rating, comment);
    await queryClient.invalidateQueries({ queryKey: ['feedback', threadId] });
  };
  const composer = useRef<HTMLTextAreaElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  // Follow the answer as it grows, unless the user scrolled up to read.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [view]);

  // Ready to type once the conversation is there, except on a phone, where the keyboard would hide it.
  const loaded = thread !== null;
  useEffect(() => {
    if (loaded && window.matchMedia?.('(min-width: 641px)').matches) composer.current?.focus();
  }, [loaded]);

  if (loadError) {
    return (
      <ChatColumn title={t('apps.chat.title')} error={<ErrorMessageBar error={loadError} />}>
        <div className={styles.scroller} />
      </ChatColumn>
    );
  }
  if (!thread) {
    return (
      <ChatColumn title={t('apps.chat.title')}>
        <div className={styles.scroller}>
          <div className={styles.welcome}>
            <Spinner label={t('chat.loading')} />
          </div>
        </div>
      </ChatColumn>
    );
  }

  const sendMessage = (outgoing: OutgoingMessage) => {
    if (view.turns.length === 0) onFirstMessage?.(outgoing.message, thread.title);
    return send(outgoing);
  };

  return (
    <ChatColumn
      title={title ?? thread.title}
      assistant={assistant && assistant.id !== GENERAL_ASSISTANT ? assistant.name : undefined}
      error={error ? <ThreadError error={error} /> : undefined}
      actions={view.turns.length > 0 ? <ExportMenu threadId={threadId} /> : undefined}
      composer={
        <Composer
          ref={composer}
          running={running}
          onSend={sendMessage}
          onStop={() => void stop()}
          assistantName={assistant?.name}
          workflows={assistant?.workflows}
          assistantId={thread?.assistant_id}
          onModelChange={setPickedModel}
          attach={{ threadId }}
        />
      }
    >
      <div
        ref={scroller}
        className={styles.scroller}
        onScroll={(event) => {
          const element = event.currentTarget;
          stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
        }}
      >
        {view.turns.length === 0 ? (
          <Welcome disabled={running} assistant={assistant} onPick={(message) => void sendMessage({ message })} />
        ) : (
          <AttachmentThread.Provider value={threadId}>
          <div className={styles.log} role="log" aria-label={t('chat.messagesLabel')} aria-live="polite" aria-busy={running}>
            {view.turns.map((turn, n) => (
              <TurnView
                key={turn.key}
                turn={turn}
                assistantName={assistant?.name}
                followUp={turn.runId !== null && followUps.has(turn.runId)}
                onRobotDecided={onRobotDecided}
                actions={{
                  feedback: feedback.data?.find((item) => item.run_id === turn.runId),
                  onFeedback: rate,
                  // Asking again makes a new run of the same request, with the model picked now (another
                  // model's answer, side by side); the first answer stays.
                  onRegenerate:
                    n === view.turns.length - 1 && !running && isAsked(turn.request) && !followUps.has(turn.runId ?? '')
                      ? () => void send({ message: turn.request, ...(pickedModel ? { model: pickedModel } : {}) })
                      : undefined,
                }}
                stored={turn.runId ? robots.get(turn.runId) : undefined}
                confirmation={{
                  stored: turn.runId ? confirmations.get(turn.runId) : undefined,
                  onDecide: decide,
                  disabled: running,
                }}
              />
            ))}
          </div>
          </AttachmentThread.Provider>
        )}
      </div>
    </ChatColumn>
  );
}

/** Requests a user typed (not the messages the server writes for a decision taken on a card). */
function isAsked(request: string): boolean {
  return !/^(Confirmer|Annuler|Décision sur la demande)\b/.test(request);
}

function ThreadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.code === 'stream_lost') {
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>{t('chat.connectionLost')}</MessageBarBody>
      </MessageBar>
    );
  }
  return <ErrorMessageBar error={error} />;
}
