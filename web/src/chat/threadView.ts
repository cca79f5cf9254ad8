/**
 * What the page shows of a conversation, built from the stored runs and then from each run's
 * events as they stream. A pure reducer, so that replays and reattachments are easy to test.
 */
import type { ToolEvent } from '../api/schema';
import type { Sent } from '../api/sent';
import type { AnswerMode, Citation, Run, RunEvent, RunFailure, RunStatus, ThreadDetail } from './types';

export interface ToolActivity {
  tool: string;
  label: string;
  state: 'running' | 'ok' | 'failed';
  detail?: string;
}

export interface Turn {
  /** Stable for React keys: the run id, or a local key while the request is on its way. */
  key: string;
  runId: string | null;
  request: string;
  /** `sending` until the server answered the POST with a run id. */
  status: RunStatus | 'sending';
  answer: string;
  mode: AnswerMode | null;
  citations: Citation[];
  tools: ToolActivity[];
  /** `approval_required` payloads: a robot approval record (or, from older servers, a `detail`). */
  approvals: Record<string, unknown>[];
  /** The `confirmation_required` payload: the tool call this run was held on, for the user to decide. */
  confirmation: Record<string, unknown> | null;
  /** Robot jobs this run follows (`job` events), in order of appearance. */
  jobs: string[];
  error: RunFailure | null;
  /** The last event applied: reattaching asks for the events after it, and older ones are skipped. */
  lastSeq: number;
}

export interface ThreadView {
  threadId: string | null;
  turns: Turn[];
}

export type ThreadAction =
  | { type: 'loaded'; thread: ThreadDetail; toolEvents?: readonly StoredToolEvent[] }
  | { type: 'sending'; key: string; request: string }
  | { type: 'send_failed'; key: string }
  | { type: 'started'; key: string; runId: string }
  | { type: 'event'; runId: string; event: RunEvent }
  /** The run as the server stored it, e.g. after a stop when no stream is listening any more. */
  | { type: 'run'; run: Run };

export const EMPTY_VIEW: ThreadView = { threadId: null, turns: [] };

export function turnFromRun(run: Run): Turn {
  return {
    key: run.id,
    runId: run.id,
    request: run.request,
    status: run.status,
    answer: run.answer ?? '',
    mode: run.mode,
    citations: sortCitations(run.citations ?? []),
    tools: [],
    approvals: [],
    confirmation: null,
    jobs: [],
    error: run.error,
    lastSeq: 0,
  };
}

export function threadViewReducer(view: ThreadView, action: ThreadAction): ThreadView {
  switch (action.type) {
    case 'loaded': {
      const turns = action.thread.runs.map(turnFromRun);
      // A finished run's tool cards, as they streamed live (their events are stored).
      const byRun = new Map<string, StoredToolEvent[]>();
      for (const event of action.toolEvents ?? []) byRun.set(event.run_id, [...(byRun.get(event.run_id) ?? []), event]);
      return {
        threadId: action.thread.id,
        turns: turns.map((turn) =>
          turn.runId && turn.status !== 'running' && byRun.has(turn.runId)
            ? { ...turn, tools: storedTools(byRun.get(turn.runId) ?? []) }
            : turn,
        ),
      };
    }
    case 'sending':
      return {
        ...view,
        turns: [
          ...view.turns,
          { ...turnFromRun(PENDING_RUN), key: action.key, runId: null, request: action.request, status: 'sending' },
        ],
      };
    case 'send_failed':
      return { ...view, turns: view.turns.filter((turn) => turn.key !== action.key) };
    case 'started':
      return updateTurn(view, (turn) => turn.key === action.key, (turn) => ({ ...turn, runId: action.runId, status: 'running' }));
    case 'event':
      return updateTurn(
        view,
        (turn) => turn.runId === action.runId,
        (turn) => (action.event.seq <= turn.lastSeq ? turn : { ...applyEvent(turn, action.event), lastSeq: action.event.seq }),
      );
    case 'run':
      return updateTurn(
        view,
        (turn) => turn.runId === action.run.id,
        (turn) => (turn.status === 'running' && action.run.status !== 'running' ? mergeRun(turn, action.run) : turn),
      );
  }
}

/** A stored `tool_start` / `tool_end` event of a finished run (`GET /api/threads/{id}/tool-events`). */
export type StoredToolEvent = Sent<ToolEvent>;

function storedTools(events: readonly StoredToolEvent[]): ToolActivity[] {
  let turn = turnFromRun(PENDING_RUN);
  for (const event of events) turn = applyEvent(turn, { seq: event.seq, type: event.type, data: event.data } as unknown as RunEvent);
  // The run is over: a tool that never reported its end failed, as the live view says at `done`.
  return turn.tools.map((activity) => (activity.state === 'running' ? { ...activity, state: 'failed' } : activity));
}

export function applyEvent(turn: Turn, event: RunEvent): Turn {
  switch (event.type) {
    case 'started': // the run exists: the turn already shows it going
      return turn;
    case 'token':
      return { ...turn, answer: turn.answer + event.data.text };
    case 'tool_start':
      return {
        ...turn,
        tools: [...turn.tools, { tool: event.data.tool, label: event.data.label, state: 'running' }],
      };
    case 'tool_end': {
      const { tool, ok, label, detail } = event.data;
      const at = lastIndex(turn.tools, (activity) => activity.tool === tool && activity.state === 'running');
      const ended: ToolActivity = {
        tool,
        label: label ?? turn.tools[at]?.label ?? tool,
        state: ok ? 'ok' : 'failed',
        ...(detail ? { detail } : {}),
      };
      const tools = at < 0 ? [...turn.tools, ended] : turn.tools.map((activity, i) => (i === at ? ended : activity));
      return { ...turn, tools };
    }
    case 'citation':
      return { ...turn, citations: sortCitations([...turn.citations.filter((c) => c.index !== event.data.index), event.data]) };
    case 'approval_required':
      return { ...turn, approvals: [...turn.approvals, event.data] };
    case 'confirmation_required':
      return { ...turn, confirmation: event.data };
    case 'job':
      return turn.jobs.includes(event.data.job_id) ? turn : { ...turn, jobs: [...turn.jobs, event.data.job_id] };
    case 'error':
      return { ...turn, error: event.data };
    case 'done': {
      const { status, answer, mode, citations } = event.data;
      return {
        ...turn,
        status,
        // The final answer and citations are the verified ones: they replace what streamed.
        answer: answer ?? turn.answer,
        mode: mode ?? turn.mode,
        citations: citations ? sortCitations(citations) : turn.citations,
        // A tool still "running" at the end will never finish: do not leave its spinner turning.
        tools: turn.tools.map((activity) => (activity.state === 'running' ? { ...activity, state: 'failed' } : activity)),
      };
    }
  }
}

/** The run whose events the page should follow: the last one, if it is still going. */
export function runningRun(view: ThreadView): Turn | undefined {
  const last = view.turns.at(-1);
  return last && last.runId && last.status === 'running' ? last : undefined;
}

const PENDING_RUN: Run = {
  id: '',
  thread_id: '',
  status: 'running',
  request: '',
  workflow: null,
  mode: null,
  answer: null,
  citations: [],
  error: null,
  created_at: '',
  finished_at: null,
};

function mergeRun(turn: Turn, run: Run): Turn {
  const stored = turnFromRun(run);
  return {
    ...turn,
    status: stored.status,
    answer: run.answer ?? turn.answer,
    mode: run.mode ?? turn.mode,
    citations: run.citations?.length ? stored.citations : turn.citations,
    error: run.error ?? turn.error,
  };
}

function updateTurn(view: ThreadView, match: (turn: Turn) => boolean, update: (turn: Turn) => Turn): ThreadView {
  let changed = false;
  const turns = view.turns.map((turn) => {
    if (!match(turn)) return turn;
    const next = update(turn);
    changed ||= next !== turn;
    return next;
  });
  return changed ? { ...view, turns } : view;
}

/**
 * Citations in marker order. Those of `done` and of stored runs may come without `index` (the
 * `ariane ask --json` shape): their position then gives it, as the `citation` events number them.
 */
function sortCitations(citations: Citation[]): Citation[] {
  return citations
    .map((citation, position) => (Number.isInteger(citation.index) ? citation : { ...citation, index: position + 1 }))
    .sort((a, b) => a.index - b.index);
}

function lastIndex<T>(items: readonly T[], match: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (match(items[i] as T)) return i;
  return -1;
}
