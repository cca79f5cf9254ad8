/**
 * One conversation as the page shows it: loads it, sends messages and follows their runs' event
 * streams, reattaching (`/events?after=N`) when a stream breaks or when the page opens a thread whose
 * last run is still going. Leaving the thread aborts its streams; the runs go on on the server.
 */
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { ApiError, SignInRequired } from '../api/client';
import { getThread, readRunEvents, runEvents, startRun, stopRun, threadToolEvents } from './api';
import { EMPTY_VIEW, type ThreadView, runningRun, threadViewReducer } from './threadView';
import type { Run, RunStatus, ThreadDetail, Workflow } from './types';

/** Waits between reattachments after a stream broke: about half a minute in all, then give up. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 8000, 8000];

export interface OutgoingMessage {
  message: string;
  workflow?: Workflow;
  /** The model picked in the composer (unset: the first one policy allows). */
  model?: string;
}

export interface ThreadRunsOptions {
  /** Sent once the thread is loaded (a conversation started from the welcome screen). */
  initialMessage?: OutgoingMessage;
  /** A run started or finished: the conversation list may reorder. */
  onRunChange?: (status: RunStatus) => void;
}

export interface ThreadRuns {
  thread: ThreadDetail | null;
  view: ThreadView;
  /** The failure of loading the thread: nothing else to show. */
  loadError: unknown;
  /** The last failed action (send, stop, lost stream), for a message bar above the composer. */
  error: unknown;
  clearError: () => void;
  running: boolean;
  /** Resolves to false when the message could not be sent (the composer keeps it). */
  send: (outgoing: OutgoingMessage) => Promise<boolean>;
  /** Show and follow a run the server started in this thread (e.g. to carry out a confirmation). */
  followRun: (run: Run) => void;
  stop: () => Promise<void>;
}

export function useThreadRuns(threadId: string, options: ThreadRunsOptions = {}): ThreadRuns {
  const [view, dispatch] = useReducer(threadViewReducer, EMPTY_VIEW);
  const [thread, setThread] = useState<ThreadDetail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const scope = useRef<AbortController | null>(null);
  const lastSeq = useRef(new Map<string, number>());
  const pendingMessage = useRef(options.initialMessage);
  const onRunChange = useRef(options.onRunChange);
  // The latest callback, without restarting the streams when the caller passes a new one.
  useLayoutEffect(() => {
    onRunChange.current = options.onRunChange;
  });
  const localKeys = useRef(0);

  /** Read a run's stream; when it ends without `done`, reattach after the last event seen. */
  const follow = useCallback(async (runId: string, first: Response | null, signal: AbortSignal) => {
    let response = first;
    let finished = false;
    let attempt = 0;
    while (!finished && !signal.aborted) {
      let progressed = false;
      try {
        response ??= await runEvents(runId, lastSeq.current.get(runId) ?? 0, signal);
        await readRunEvents(response, (event) => {
          progressed = true;
          lastSeq.current.set(runId, Math.max(event.seq, lastSeq.current.get(runId) ?? 0));
          dispatch({ type: 'event', runId, event });
          if (event.type === 'done') {
            finished = true;
            onRunChange.current?.(event.data.status);
          }
        });
      } catch (failure) {
        if (signal.aborted || failure instanceof SignInRequired) return;
        if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) {
          setError(failure); // the run or thread is gone: retrying would not help
          return;
        }
      }
      response = null;
      if (finished || signal.aborted) return;
      // The stream broke before `done`: reattach at once if it had moved on, else wait a little longer each time.
      if (progressed) attempt = 0;
      const delay = RETRY_DELAYS_MS[attempt++];
      if (delay === undefined) {
        setError(new ApiError(0, 'stream_lost'));
        return;
      }
      if (!progressed || attempt > 1) await sleep(delay, signal);
    }
  }, []);

  const send = useCallback(
    async ({ message, workflow, model }: OutgoingMessage): Promise<boolean> => {
      const signal = scope.current?.signal;
      if (!signal || signal.aborted) return false;
      const key = `local-${++localKeys.current}`;
      setError(null);
      dispatch({ type: 'sending', key, request: message });
      let started: { runId: string; response: Response };
      try {
        started = await startRun(
          threadId,
          { message, ...(workflow ? { workflow } : {}), ...(model ? { model } : {}) },
          signal,
        );
      } catch (failure) {
        if (signal.aborted || failure instanceof SignInRequired) return false;
        dispatch({ type: 'send_failed', key });
        setError(failure);
        return false;
      }
      dispatch({ type: 'started', key, runId: started.runId });
      onRunChange.current?.('running');
      void follow(started.runId, started.response, signal);
      return true;
    },
    [threadId, follow],
  );

  const followRun = useCallback(
    (run: Run) => {
      const signal = scope.current?.signal;
      if (!signal || signal.aborted) return;
      const key = `local-${++localKeys.current}`;
      dispatch({ type: 'sending', key, request: run.request });
      dispatch({ type: 'started', key, runId: run.id });
      onRunChange.current?.('running');
      void follow(run.id, null, signal);
    },
    [follow],
  );

  useEffect(() => {
    const controller = new AbortController();
    scope.current = controller;
    Promise.all([getThread(threadId), threadToolEvents(threadId)]).then(
      ([loaded, toolEvents]) => {
        if (controller.signal.aborted) return;
        setThread(loaded);
        dispatch({ type: 'loaded', thread: loaded, toolEvents });
        const last = loaded.runs.at(-1);
        if (last?.status === 'running') {
          lastSeq.current.set(last.id, 0);
          void follow(last.id, null, controller.signal);
        } else if (pendingMessage.current) {
          const outgoing = pendingMessage.current;
          pendingMessage.current = undefined;
          void send(outgoing);
        }
      },
      (failure: unknown) => {
        if (!controller.signal.aborted && !(failure instanceof SignInRequired)) setLoadError(failure);
      },
    );
    return () => controller.abort();
  }, [threadId, follow, send]);

  const current = runningRun(view);
  const currentRunId = current?.runId;
  const stop = useCallback(async () => {
    if (!currentRunId) return;
    try {
      dispatch({ type: 'run', run: await stopRun(currentRunId) });
    } catch (failure) {
      if (!(failure instanceof SignInRequired)) setError(failure);
    }
  }, [currentRunId]);

  const sending = view.turns.at(-1)?.status === 'sending';
  return {
    thread,
    view,
    loadError,
    error,
    clearError: useCallback(() => setError(null), []),
    running: sending || current !== undefined,
    send,
    followRun,
    stop,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
