/**
 * The chat API's shapes (`/api/threads`, `/api/runs`): generated from `/openapi.json` (`../api/schema`),
 * narrowed here only where the server documents a free-form object (a run's citations and error, its
 * mode) or does not document at all (the run's event stream).
 */
import type * as schema from '../api/schema';
import type { Sent } from '../api/sent';

export type RunStatus = schema.RunStatus;
export type Thread = Sent<schema.Thread>;
export type AnswerMode = 'generative' | 'extractive';
export type Workflow = 'meeting_summary' | 'document_question' | 'tool_agent';

export const WORKFLOWS: readonly Workflow[] = ['meeting_summary', 'document_question', 'tool_agent'];

/** The server's limit on a message, in characters (`MAX_MESSAGE_CHARS`). */
export const MAX_MESSAGE_CHARS = 4000;

/** A citation of an answer (the server documents `Run.citations` as free-form objects). */
export interface Citation {
  index: number;
  /** `attachment`: a file attached to the conversation (`id` is the attachment's, `title` its name). */
  source: 'transcript' | 'document' | 'knowledge' | 'attachment';
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

/** The generated `Run`, with the shapes of its free-form fields. */
export type Run = Omit<schema.Run, 'mode' | 'citations' | 'error'> & {
  mode: AnswerMode | null;
  citations: Citation[];
  error: RunFailure | null;
};

export type ThreadDetail = Omit<Sent<schema.ThreadDetail>, 'runs'> & { runs: Run[] };

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
  /** The stream's first event, stored with the run: the server has it and is working. */
  | { type: 'started'; data: { run_id: string } }
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
