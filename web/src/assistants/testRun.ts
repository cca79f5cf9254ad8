/** What the editor's test pane shows of a run, built from its streamed events. */
import type { Citation, RunEvent, RunFailure, RunStatus } from '../chat/types';

export interface TestRun {
  answer: string;
  citations: Citation[];
  /** Tool activity labels, in order, with their outcome once known. */
  tools: { label: string; ok?: boolean }[];
  error: RunFailure | null;
  status: RunStatus;
}

export const STARTED: TestRun = { answer: '', citations: [], tools: [], error: null, status: 'running' };

export function applyEvent(run: TestRun, event: RunEvent): TestRun {
  switch (event.type) {
    case 'token':
      return { ...run, answer: run.answer + event.data.text };
    case 'citation':
      return { ...run, citations: [...run.citations, event.data] };
    case 'tool_start':
      return { ...run, tools: [...run.tools, { label: event.data.label }] };
    case 'tool_end': {
      const tools = [...run.tools];
      const open = tools.map((tool) => tool.ok === undefined).lastIndexOf(true);
      const last = tools[open];
      if (last) tools[open] = { label: last.label, ok: event.data.ok };
      return { ...run, tools };
    }
    case 'error':
      return { ...run, error: event.data };
    case 'done':
      return { ...run, status: event.data.status, answer: event.data.answer ?? run.answer };
    default:
      return run;
  }
}
