/** The chat API's shapes (`/api/threads`, `/api/runs`), as the server sends them. */

export type RunStatus = 'running' | 'done' | 'failed' | 'stopped' | 'interrupted';
export type AnswerMode = 'generative' | 'extractive';
export type Workflow = 'meeting_summary' | 'document_question' | 'tool_agent';

export const WORKFLOWS: readonly Workflow[] = ['meeting_summary', 'document_question', 'tool_agent'];

/** The server's limit on a message, in characters (`MAX_MESSAGE_CHARS`). */
export const MAX_MESSAGE_CHARS = 4000;

export interface Thread {
  id: string;
  title: string;
  assistant_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface Citation {
  index: number;
  source: 'transcript' | 'document' | 'knowledge';
  id: string;
  title: string;
  /** A time range for transcripts (`00:12:03.120–00:12:41.900`), « page 8 » or a heading for documents. */
  locator: string;
  quote: string;
  url?: string | null;
  speaker?: string | null;
}

export interface RunFailure {
  code: string;
  detail: string;
}

export interface Run {
  id: string;
  thread_id: string;
  status: RunStatus;
  request: string;
  workflow: string | null;
  mode: AnswerMode | null;
  answer: string | null;
  citations: Citation[];
  error: RunFailure | null;
  created_at: string;
  finished_at: string | null;
  /** The assistant and version the run honoured. */
  assistant_id?: string | null;
  assistant_version?: number | null;
}

export interface ThreadDetail extends Thread {
  runs: Run[];
}

export interface ToolStart {
  tool: string;
  server?: string;
  label: string;
}

export interface ToolEnd {
  tool: string;
  ok: boolean;
  label?: string;
  detail?: string;
}

export interface Done {
  run_id: string;
  status: RunStatus;
  answer?: string;
  mode?: AnswerMode;
  workflow?: string;
  citations?: Citation[];
}

/** One event of a run's stream; `seq` is the SSE `id`, used to reattach after the last one seen. */
export type RunEvent = { seq: number } & (
  | { type: 'token'; data: { text: string } }
  | { type: 'tool_start'; data: ToolStart }
  | { type: 'tool_end'; data: ToolEnd }
  | { type: 'citation'; data: Citation }
  | { type: 'approval_required'; data: { detail?: string } & Record<string, unknown> }
  /** A tool call held until the user confirms it (`confirmations/api.ts` reads it). */
  | { type: 'confirmation_required'; data: Record<string, unknown> }
  | { type: 'job'; data: { job_id: string; status: string } & Record<string, unknown> }
  | { type: 'error'; data: RunFailure }
  | { type: 'done'; data: Done }
);

export type RunEventType = RunEvent['type'];

/** The title the server gives a conversation created without one (`ThreadCreate.title`). */
export const SERVER_DEFAULT_TITLE = 'Nouvelle conversation';

/** A conversation's title from its first message: one line, at most `max` characters. */
export function titleFrom(message: string, max = 60): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
