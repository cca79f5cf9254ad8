import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../chat/types';
import { STARTED, applyEvent } from './testRun';

describe('the test pane run', () => {
  it('builds the answer, tool activity and citations from the events', () => {
    const events: RunEvent[] = [
      { seq: 1, type: 'tool_start', data: { tool: 'search_knowledge', label: 'Recherche…' } },
      { seq: 2, type: 'tool_end', data: { tool: 'search_knowledge', ok: true } },
      { seq: 3, type: 'token', data: { text: 'Récupération ' } },
      { seq: 4, type: 'token', data: { text: 'du temps [1]' } },
      {
        seq: 5,
        type: 'citation',
        data: { index: 1, source: 'knowledge', id: 'd1', title: 'RIGTT', locator: 'page 8', quote: 'Les astreintes…' },
      },
      { seq: 6, type: 'done', data: { run_id: 'r1', status: 'done' } },
    ];
    const run = events.reduce(applyEvent, STARTED);
    expect(run).toEqual({
      answer: 'Récupération du temps [1]',
      citations: [events[4]?.data],
      tools: [{ label: 'Recherche…', ok: true }],
      error: null,
      status: 'done',
    });
  });

  it('keeps the reason of a refused run', () => {
    const detail = "L'assistant « Paie » ne peut pas répondre : modèle retiré.";
    const run = [
      { seq: 1, type: 'error', data: { code: 'assistant_model_not_allowed', detail } },
      { seq: 2, type: 'done', data: { run_id: 'r1', status: 'failed' } },
    ].reduce((state, event) => applyEvent(state, event as RunEvent), STARTED);
    expect([run.error?.code, run.status]).toEqual(['assistant_model_not_allowed', 'failed']);
  });
});
