/** Calls to the chat API: conversations, and runs whose events stream as server-sent events. */
import { type ApiDeps, ApiError, apiFetch, apiGet, apiRequest } from '../api/client';
import { type SseMessage, readEventStream } from './sse';
import type { StoredToolEvent } from './threadView';
import type * as schema from '../api/schema';
import type { ExportFormat, Rating } from '../api/schema';
import type { Sent } from '../api/sent';
import type { Run, RunEvent, RunEventType, Thread, ThreadDetail, Workflow } from './types';

const EVENT_TYPES: ReadonlySet<string> = new Set<RunEventType>([
  'started',
  'token',
  'tool_start',
  'tool_end',
  'citation',
  'approval_required',
  'confirmation_required',
  'job',
  'error',
  'done',
]);

const jsonBody = (body: unknown): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' },
});

export function listThreads(deps?: ApiDeps): Promise<Thread[]> {
  return apiGet<Thread[]>('/api/threads', deps);
}

export function getThread(id: string, deps?: ApiDeps): Promise<ThreadDetail> {
  return apiGet<ThreadDetail>(`/api/threads/${encodeURIComponent(id)}`, deps);
}

/** A new conversation, with the assistant picked (the general one when none is given). */
export function createThread(title?: string, deps?: ApiDeps, assistantId?: string | null): Promise<Thread> {
  const body = { ...(title ? { title } : {}), ...(assistantId ? { assistant_id: assistantId } : {}) };
  return apiRequest<Thread>('/api/threads', { method: 'POST', ...jsonBody(body) }, deps);
}

export function renameThread(id: string, title: string, deps?: ApiDeps): Promise<Thread> {
  return apiRequest<Thread>(`/api/threads/${encodeURIComponent(id)}`, { method: 'PATCH', ...jsonBody({ title }) }, deps);
}

export function deleteThread(id: string, deps?: ApiDeps): Promise<void> {
  return apiRequest<void>(`/api/threads/${encodeURIComponent(id)}`, { method: 'DELETE' }, deps);
}

/** The tool events of the thread's finished runs, for their tool cards (none when the server has none). */
export async function threadToolEvents(threadId: string, deps?: ApiDeps): Promise<StoredToolEvent[]> {
  try {
    return await apiGet<StoredToolEvent[]>(`/api/threads/${encodeURIComponent(threadId)}/tool-events`, deps);
  } catch (failure) {
    if (failure instanceof ApiError) return []; // cards are an extra: the conversation shows without them
    throw failure;
  }
}

export function getRun(runId: string, deps?: ApiDeps): Promise<Run> {
  return apiGet<Run>(`/api/runs/${encodeURIComponent(runId)}`, deps);
}

export function stopRun(runId: string, deps?: ApiDeps): Promise<Run> {
  return apiRequest<Run>(`/api/runs/${encodeURIComponent(runId)}/stop`, { method: 'POST' }, deps);
}

const STREAM_HEADERS = { Accept: 'text/event-stream' };

/** Send a message: the run starts, and its events come in the returned response's body. */
export async function startRun(
  threadId: string,
  body: { message: string; workflow?: Workflow; model?: string },
  signal: AbortSignal,
  deps?: ApiDeps,
): Promise<{ runId: string; response: Response }> {
  const response = await apiFetch(
    `/api/threads/${encodeURIComponent(threadId)}/runs`,
    { method: 'POST', signal, body: JSON.stringify(body), headers: { ...STREAM_HEADERS, 'Content-Type': 'application/json' } },
    deps,
  );
  const runId = response.headers.get('X-Ariane-Run-Id');
  if (!runId) throw new ApiError(response.status, 'http_error');
  return { runId, response };
}

/** Reattach to a run: its events after `after`, then live ones until `done`. */
export function runEvents(runId: string, after: number, signal: AbortSignal, deps?: ApiDeps): Promise<Response> {
  return apiFetch(
    `/api/runs/${encodeURIComponent(runId)}/events?after=${after}`,
    { method: 'GET', signal, headers: STREAM_HEADERS },
    deps,
  );
}

/** Read a run's event stream to its end. */
export async function readRunEvents(response: Response, onEvent: (event: RunEvent) => void): Promise<void> {
  if (!response.body) return;
  await readEventStream(response.body, (message) => {
    const event = toRunEvent(message);
    if (event) onEvent(event);
  });
}

/** A typed run event, or null for an event this page does not know (newer server) or cannot read. */
export function toRunEvent(message: SseMessage): RunEvent | null {
  if (!EVENT_TYPES.has(message.event)) return null;
  const seq = Number(message.id);
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (!Number.isInteger(seq) || typeof data !== 'object' || data === null) return null;
  return { seq, type: message.event, data } as RunEvent;
}

/** The user's rating of one answer (`/api/runs/{id}/feedback`); a conversation found by
 * `GET /api/search/threads`, with its best passage (« » around the words). */
export type Feedback = Sent<schema.Feedback>;
export type SearchHit = Sent<schema.SearchHit>;
export type { Rating };

export function threadFeedback(threadId: string, deps?: ApiDeps): Promise<Feedback[]> {
  return apiGet<Feedback[]>(`/api/threads/${encodeURIComponent(threadId)}/feedback`, deps);
}

export function giveFeedback(runId: string, rating: Rating, comment: string, deps?: ApiDeps): Promise<Feedback> {
  return apiRequest<Feedback>(
    `/api/runs/${encodeURIComponent(runId)}/feedback`,
    { method: 'PUT', ...jsonBody({ rating, comment }) },
    deps,
  );
}

export function withdrawFeedback(runId: string, deps?: ApiDeps): Promise<void> {
  return apiRequest<void>(`/api/runs/${encodeURIComponent(runId)}/feedback`, { method: 'DELETE' }, deps);
}

export function searchThreads(query: string, deps?: ApiDeps): Promise<SearchHit[]> {
  return apiGet<SearchHit[]>(`/api/search/threads?q=${encodeURIComponent(query)}`, deps);
}

export type { ExportFormat };

/** The conversation as a file (Markdown or Word), with the name the server gave it. */
export async function exportThread(
  threadId: string,
  format: ExportFormat,
  language: string,
  deps?: ApiDeps,
): Promise<{ blob: Blob; filename: string }> {
  const lang = language.startsWith('en') ? 'en' : 'fr';
  const response = await apiFetch(
    `/api/threads/${encodeURIComponent(threadId)}/export?format=${format}&lang=${lang}`,
    { method: 'GET', headers: { Accept: '*/*' } },
    deps,
  );
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `conversation.${format === 'docx' ? 'docx' : 'md'}`;
  return { blob: await response.blob(), filename };
}

/** A model the chat may be asked to answer with. */
export type ModelOption = Sent<schema.ModelOption>;

/** The models the composer's picker offers with this assistant (configured, allowed for its data). */
export function getChatModels(assistantId: string, deps?: ApiDeps): Promise<ModelOption[]> {
  return apiGet<ModelOption[]>(`/api/assistants/${encodeURIComponent(assistantId)}/models`, deps);
}
