import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { listAssistants } from '../../assistants/api';
import { useAssistant } from '../../assistants/useAssistant';
import { handOffFiles } from '../../chat/attachments';
import { SERVER_DEFAULT_TITLE, titleFrom } from '../../chat/types';
import type { OutgoingMessage } from '../../chat/useThreadRuns';
import { ErrorMessageBar } from '../../components/ErrorMessageBar';
import { Composer } from './Composer';
import { ConversationList } from './ConversationList';
import { ChatColumn, GENERAL_ASSISTANT, ThreadPane, Welcome } from './ThreadPane';
import { useThreads } from './useThreads';

const NARROW = '@media (max-width: 640px)';

const useStyles = makeStyles({
  root: {
    height: '100%',
    display: 'grid',
    gridTemplateColumns: 'minmax(240px, 300px) minmax(0, 1fr)',
    [NARROW]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  list: {
    minHeight: 0,
    borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    [NARROW]: { borderRight: 'none' },
  },
  main: { minHeight: 0, minWidth: 0 },
  // On a phone, one column at a time: the list at /chat, the conversation at /chat/:id.
  hiddenWhenNarrow: { [NARROW]: { display: 'none' } },
  welcome: { flexGrow: 1, overflowY: 'auto', backgroundColor: tokens.colorNeutralBackground2 },
});

/** Where a new conversation's first message travels to its page (`navigate` state). */
interface ChatLocationState {
  send?: OutgoingMessage;
}

/** The Teams-style chat: conversations on the left, the open one on the right. */
export function ChatPage() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { threadId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const threads = useThreads();
  const [creating, setCreating] = useState(false);
  // « Discuter » in the Assistants gallery opens `/chat?assistant=ID`: the next conversation is with it.
  const [search] = useSearchParams();
  const picked = threadId ? null : search.get('assistant');
  const { assistant, error: assistantError } = useAssistant(picked);
  const assistants = useQuery({ queryKey: ['assistants'], queryFn: () => listAssistants() });
  const assistantNames = useMemo(
    () => Object.fromEntries((assistants.data ?? []).map((item) => [item.id, item.name])),
    [assistants.data],
  );

  // Consumed: a reload or a visit from the history must not send the first message again.
  useEffect(() => {
    if ((location.state as ChatLocationState | null)?.send) navigate(location.pathname, { replace: true, state: null });
  }, [location, navigate]);

  const start = useCallback(
    async (first?: OutgoingMessage) => {
      setCreating(true);
      const thread = await threads.create(first ? titleFrom(first.message) : undefined, picked);
      setCreating(false);
      if (!thread) return false;
      navigate(`/chat/${thread.id}`, { state: first ? ({ send: first } satisfies ChatLocationState) : null });
      return true;
    },
    [threads, navigate, picked],
  );

  // Files attached before the first message: the conversation is created for them (titled by that
  // message when it comes), and its page uploads them.
  const startWithFiles = useCallback(
    async (files: File[]) => {
      setCreating(true);
      const thread = await threads.create(undefined, picked); // titled by its first message
      setCreating(false);
      if (!thread) return;
      handOffFiles(thread.id, files);
      navigate(`/chat/${thread.id}`);
    },
    [threads, navigate, picked],
  );
  const attachTarget = useMemo(() => ({ threadId: null, onFirstFiles: (files: File[]) => void startWithFiles(files) }), [startWithFiles]);

  const onFirstMessage = useCallback(
    (message: string, title: string) => {
      if (threadId && title === SERVER_DEFAULT_TITLE) void threads.rename(threadId, titleFrom(message));
    },
    [threadId, threads],
  );

  const { refresh } = threads;
  const onRemove = useCallback(
    async (id: string) => {
      const removed = await threads.remove(id);
      if (removed && id === threadId) navigate('/chat');
      return removed;
    },
    [threads, threadId, navigate],
  );

  return (
    <div className={styles.root}>
      <div className={mergeClasses(styles.list, threadId && styles.hiddenWhenNarrow)}>
        <ConversationList
          threads={threads.items}
          activeId={threadId}
          assistantNames={assistantNames}
          creating={creating}
          // Nothing is created until the first message: empty conversations never pile up.
          onCreate={() => navigate(picked ? `/chat?assistant=${encodeURIComponent(picked)}` : '/chat')}
          onRename={threads.rename}
          onDelete={onRemove}
          error={threads.error ? <ErrorMessageBar error={threads.error} /> : undefined}
        />
      </div>
      <div className={mergeClasses(styles.main, !threadId && styles.hiddenWhenNarrow)}>
        {threadId ? (
          <ThreadPane
            key={threadId}
            threadId={threadId}
            title={threads.items?.find((thread) => thread.id === threadId)?.title}
            initialMessage={(location.state as ChatLocationState | null)?.send}
            onFirstMessage={onFirstMessage}
            onRunChange={refresh}
          />
        ) : (
          <ChatColumn
            title={t('apps.chat.title')}
            assistant={assistant && assistant.id !== GENERAL_ASSISTANT ? assistant.name : undefined}
            error={assistantError ? <ErrorMessageBar error={assistantError} /> : undefined}
            composer={
              <Composer
                running={creating}
                onSend={start}
                onStop={() => undefined}
                assistantName={assistant?.name}
                workflows={assistant?.workflows}
                assistantId={picked}
                attach={attachTarget}
              />
            }
          >
            <div className={styles.welcome}>
              <Welcome disabled={creating} assistant={assistant} onPick={(message) => void start({ message })} />
            </div>
          </ChatColumn>
        )}
      </div>
    </div>
  );
}
