import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW, type ThreadAction, type ThreadView, applyEvent, runningRun, threadViewReducer, turnFromRun } from './threadView';
import type { Citation, Run, RunEvent, ThreadDetail } from './types';

const CITATION: Citation = {
  index: 1,
  source: 'transcript',
  id: 'meeting-ag',
  title: 'Assemblée générale DTNIB',
  locator: '00:12:03.120–00:12:41.900',
  quote: 'Nous allons ouvrir une plateforme institutionnelle.',
  url: null,
  speaker: 'Hélène Marchal',
};

function run(overrides: Partial<Run>): Run {
  return {
    id: 'r1',
    thread_id: 't1',
    status: 'done',
    request: 'Question',
    workflow: null,
    mode: null,
    answer: null,
    citations: [],
    error: null,
    created_at: '2025-06-19T10:00:00Z',
    finished_at: null,
    ...overrides,
  };
}

function thread(runs: Run[]): ThreadDetail {
  return { id: 't1', title: 'AG', assistant_id: null, created_at: '', updated_at: '', runs };
}

function events(runId: string, list: Omit<RunEvent, 'seq'>[], from = 1): ThreadAction[] {
  return list.map((event, n) => ({ type: 'event', runId, event: { ...event, seq: from + n } as RunEvent }));
}

function reduce(actions: ThreadAction[], start: ThreadView = EMPTY_VIEW): ThreadView {
  return actions.reduce(threadViewReducer, start);
}

describe('the thread view', () => {
  it('shows stored runs as turns', () => {
    const view = reduce([
      { type: 'loaded', thread: thread([run({ answer: 'Réponse [1]', mode: 'extractive', citations: [CITATION] })]) },
    ]);
    expect(view).toEqual({
      threadId: 't1',
      turns: [
        {
          key: 'r1',
          runId: 'r1',
          request: 'Question',
          status: 'done',
          answer: 'Réponse [1]',
          mode: 'extractive',
          citations: [CITATION],
          tools: [],
          approvals: [],
          confirmation: null,
          jobs: [],
          error: null,
          lastSeq: 0,
        },
      ],
    });
  });

  it('builds an answer from a whole run of events: tools, tokens, citations, done', () => {
    const view = reduce([
      { type: 'loaded', thread: thread([]) },
      { type: 'sending', key: 'local-1', request: 'Résume-moi l’AG' },
      { type: 'started', key: 'local-1', runId: 'r2' },
      ...events('r2', [
        { type: 'started', data: { run_id: 'r2' } },
        { type: 'tool_start', data: { tool: 'list_events', label: 'Recherche dans votre agenda…' } },
        { type: 'tool_start', data: { tool: 'get_transcript', label: 'Lecture de la transcription…' } },
        { type: 'tool_end', data: { tool: 'list_events', ok: true } },
        { type: 'tool_end', data: { tool: 'get_transcript', ok: false, detail: 'Transcription indisponible.' } },
        { type: 'token', data: { text: 'Voici :\n\n1. Point' } },
        { type: 'token', data: { text: ' un [1]' } },
        { type: 'citation', data: { ...CITATION, index: 2 } },
        { type: 'citation', data: CITATION },
        { type: 'approval_required', data: { detail: 'Lancer le robot ?' } },
        { type: 'done', data: { run_id: 'r2', status: 'done', mode: 'extractive' } },
      ]),
    ]);
    expect(view.turns).toEqual([
      {
        key: 'local-1',
        runId: 'r2',
        request: 'Résume-moi l’AG',
        status: 'done',
        answer: 'Voici :\n\n1. Point un [1]',
        mode: 'extractive',
        citations: [CITATION, { ...CITATION, index: 2 }],
        tools: [
          { tool: 'list_events', label: 'Recherche dans votre agenda…', state: 'ok' },
          { tool: 'get_transcript', label: 'Lecture de la transcription…', state: 'failed', detail: 'Transcription indisponible.' },
        ],
        approvals: [{ detail: 'Lancer le robot ?' }],
        confirmation: null,
        jobs: [],
        error: null,
        lastSeq: 11,
      },
    ]);
    expect(runningRun(view)).toBeUndefined();
  });

  it('takes the verified answer and citations of `done` over what streamed', () => {
    const view = reduce([
      { type: 'loaded', thread: thread([run({ status: 'running' })]) },
      ...events('r1', [
        { type: 'token', data: { text: 'brouillon [1] [2]' } },
        { type: 'citation', data: CITATION },
        { type: 'citation', data: { ...CITATION, index: 2 } },
        { type: 'done', data: { run_id: 'r1', status: 'done', answer: 'final [1]', citations: [CITATION] } },
      ]),
    ]);
    expect(view.turns[0]).toMatchObject({ answer: 'final [1]', citations: [CITATION], status: 'done' });
  });

  it('numbers citations by position when the final or stored ones come without an index', () => {
    const { index: _, ...unnumbered } = CITATION;
    const second = { ...unnumbered, quote: 'Deuxième.' };
    const view = reduce([
      { type: 'loaded', thread: thread([run({ status: 'running' }), run({ id: 'r0', citations: [unnumbered, second] as Citation[] })]) },
      ...events('r1', [{ type: 'done', data: { run_id: 'r1', status: 'done', citations: [unnumbered, second] as Citation[] } }]),
    ]);
    for (const turn of view.turns) expect(turn.citations).toEqual([CITATION, { ...CITATION, quote: 'Deuxième.', index: 2 }]);
  });

  it('skips events already applied, so a reattachment can replay safely', () => {
    const first = events('r1', [
      { type: 'token', data: { text: 'Bon' } },
      { type: 'token', data: { text: 'jour' } },
    ]);
    const view = reduce([{ type: 'loaded', thread: thread([run({ status: 'running' })]) }, ...first, ...first]);
    expect(view.turns[0]).toMatchObject({ answer: 'Bonjour', lastSeq: 2, status: 'running' });
    expect(runningRun(view)?.runId).toBe('r1');
  });

  it('keeps the error of a failed run, and stops spinners of tools that never ended', () => {
    const view = reduce([
      { type: 'loaded', thread: thread([run({ status: 'running' })]) },
      ...events('r1', [
        { type: 'tool_start', data: { tool: 'list_events', label: 'Recherche…' } },
        { type: 'error', data: { code: 'not_ready', detail: 'Les assistants ne sont pas encore disponibles.' } },
        { type: 'done', data: { run_id: 'r1', status: 'failed' } },
      ]),
    ]);
    expect(view.turns[0]).toMatchObject({
      status: 'failed',
      error: { code: 'not_ready', detail: 'Les assistants ne sont pas encore disponibles.' },
      tools: [{ tool: 'list_events', label: 'Recherche…', state: 'failed' }],
    });
  });

  it('drops a message the server refused, and ignores events of other runs', () => {
    const view = reduce([
      { type: 'loaded', thread: thread([run({})]) },
      { type: 'sending', key: 'local-1', request: '' },
      { type: 'send_failed', key: 'local-1' },
      ...events('other', [{ type: 'token', data: { text: 'x' } }]),
    ]);
    expect(view).toEqual(reduce([{ type: 'loaded', thread: thread([run({})]) }]));
  });

  it('applies a stopped run returned by the server when no stream is listening', () => {
    const view = reduce([
      { type: 'loaded', thread: thread([run({ status: 'running' })]) },
      { type: 'run', run: run({ status: 'stopped', error: { code: 'stopped', detail: 'Réponse arrêtée à votre demande.' } }) },
    ]);
    expect(view.turns[0]).toMatchObject({ status: 'stopped', error: { code: 'stopped' } });
  });
});

const STORED_RUN_FOR_ROBOTS: Run = {
  id: 'r-9',
  thread_id: 't-1',
  status: 'running',
  request: 'Lance le robot',
  workflow: null,
  mode: null,
  answer: null,
  citations: [],
  error: null,
  created_at: '2026-11-28T10:00:00Z',
  finished_at: null,
};

describe('robot events', () => {
  it('keeps the approval record and each job once, in order', () => {
    const turn = [
      { seq: 1, type: 'approval_required', data: { id: 'a-1', robot_name: 'Robot' } },
      { seq: 2, type: 'job', data: { job_id: 'j-1', status: 'queued' } },
      { seq: 3, type: 'job', data: { job_id: 'j-1', status: 'running' } },
    ].reduce((current, event) => applyEvent(current, event as RunEvent), turnFromRun(STORED_RUN_FOR_ROBOTS));

    expect([turn.approvals, turn.jobs]).toEqual([[{ id: 'a-1', robot_name: 'Robot' }], ['j-1']]);
  });
});

describe('a held tool call', () => {
  it('keeps the confirmation payload on the turn that was held', () => {
    const held = { id: 'c-1', run_id: 'r5', tool: 'disable_badge', status: 'pending' };
    const view = reduce([
      { type: 'loaded', thread: thread([]) },
      { type: 'sending', key: 'local-1', request: 'Désactive mon badge 42' },
      { type: 'started', key: 'local-1', runId: 'r5' },
      ...events('r5', [
        { type: 'tool_start', data: { tool: 'disable_badge', label: 'Appel de l’outil disable_badge…' } },
        { type: 'tool_end', data: { tool: 'disable_badge', ok: false, detail: 'Confirmez-vous ?' } },
        { type: 'confirmation_required', data: held },
        { type: 'done', data: { run_id: 'r5', status: 'done' } },
      ]),
    ]);
    expect(view.turns.map((turn) => [turn.confirmation, turn.status])).toEqual([[held, 'done']]);
  });
});

describe('a reopened conversation', () => {
  it('shows the tool cards of its finished runs as they were live, not those of a run still going', () => {
    const view = reduce([
      {
        type: 'loaded',
        thread: thread([run({ id: 'r1', status: 'done' }), run({ id: 'r2', status: 'running', answer: null })]),
        toolEvents: [
          { run_id: 'r1', seq: 1, type: 'tool_start', data: { tool: 'find_meeting', label: 'Recherche de la réunion…' } },
          {
            run_id: 'r1',
            seq: 2,
            type: 'tool_end',
            data: { tool: 'find_meeting', ok: false, detail: 'Réunions proches : Comité de pilotage IA' },
          },
          { run_id: 'r1', seq: 3, type: 'tool_start', data: { tool: 'get_transcript', label: 'Lecture…' } },
          { run_id: 'r2', seq: 1, type: 'tool_start', data: { tool: 'list_events', label: 'Agenda…' } },
        ],
      },
    ]);

    expect(view.turns.map((turn) => turn.tools)).toEqual([
      [
        { tool: 'find_meeting', label: 'Recherche de la réunion…', state: 'failed', detail: 'Réunions proches : Comité de pilotage IA' },
        { tool: 'get_transcript', label: 'Lecture…', state: 'failed' },
      ],
      [],
    ]);
    expect(view.turns.map((turn) => turn.lastSeq)).toEqual([0, 0]); // reattaching still reads every event
  });
});
