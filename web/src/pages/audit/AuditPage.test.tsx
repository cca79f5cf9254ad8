import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/me';
import { storeSignedInUser } from '../../test/signedInUser';
import { CurrentUserContext } from '../../shell/CurrentUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { AuditPage } from './AuditPage';
import type { RunDetail, RunSummary, Span } from './api';

const ANNE: Me = {
  id: 'u9',
  email: 'anne.lambert@chru-exemple.fr',
  display_name: 'Anne Lambert',
  job_title: 'Auditrice interne et DPO',
  service: 'Direction',
  job_category: 'Administratif',
  roles: ['auditor'],
};

const RUN: RunSummary = {
  run_id: 'r1',
  trace_id: 't1',
  user_id: 'u1',
  user_email: 'claire.dubois@chru-exemple.fr',
  user_name: 'Claire Dubois',
  assistant_id: 'ariane',
  assistant_version: 1,
  workflow: 'meeting_summary',
  started_at: '2026-11-28T10:00:00+01:00',
  status: 'done',
  models: [],
  tools: ['calendar.find_meeting', 'meetings.get_transcript'],
  refusals: 0,
  policy_version: 0,
  question: "Résume-moi l'intervention d'Hélène Marchal en 4 points",
};

function span(name: string, id: string, parent: string | null, start: number, end: number, attributes = {}): Span {
  return {
    name,
    kind: 'internal',
    trace_id: 't1',
    span_id: id,
    parent_span_id: parent,
    start_ns: start,
    end_ns: end,
    status: { code: 'unset', description: null },
    attributes,
  };
}

const GATEWAY = span('embeddings all-minilm-l6-v2', 's4', 's2', 60, 90, {
  'gen_ai.operation.name': 'embeddings',
  'ariane.policy.decision': 'allowed',
  'ariane.policy.rule': 'embeddings-for-all',
});

const DETAIL: RunDetail = {
  summary: RUN,
  message: "Résume-moi l'intervention d'Hélène Marchal en 4 points",
  now: '2026-11-28T10:00:00+01:00',
  versions: {},
  spans: [
    span('invoke_agent ariane', 's1', null, 0, 100, { 'gen_ai.operation.name': 'invoke_agent' }),
    span('node find_meeting', 's2', 's1', 5, 95),
    span('execute_tool find_meeting', 's3', 's2', 10, 50, { 'gen_ai.operation.name': 'execute_tool' }),
    GATEWAY,
  ],
  steps: [
    {
      kind: 'tool_call',
      step: 1,
      captured: true,
      server: 'calendar',
      tool: 'find_meeting',
      arguments: { subject: 'assemblee generale dtnib' },
      outcome: { ok: true, data: {} },
    },
  ],
  policy: [GATEWAY],
  approvals: [],
  outcome: { answer: 'Voici les 4 points.', mode: 'extractive' },
};

function render(user: Me) {
  return renderWithProviders(
    <CurrentUserContext.Provider value={user}>
      <AuditPage />
    </CurrentUserContext.Provider>,
    { path: '/audit' },
  );
}

describe('AuditPage', () => {
  beforeEach(() => {
    storeSignedInUser('token-anne', 3600);
    // Fluent's MessageBar measures itself; jsdom has no ResizeObserver.
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    );
  });

  it('is not shown to someone without the auditor or security role', () => {
    vi.stubGlobal('fetch', vi.fn());
    render({ ...ANNE, roles: ['staff'] });
    expect(screen.getByText('Accès non autorisé')).toBeTruthy();
  });

  it("shows a run's waterfall with the policy decision and each tool call, then replays it", async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input);
        urls.push(`${init?.method ?? 'GET'} ${url}`);
        if (url.endsWith('/replay')) {
          return jsonResponse({
            mode: 'exact',
            status: 'identique',
            steps: 5,
            duration_ms: 40,
            code: { same: true, recorded: {}, current: {} },
            divergence: null,
            answer: { recorded: 'a', replayed: 'a' },
          });
        }
        if (url.includes('/api/audit/runs/r1')) {
          return jsonResponse({ ...DETAIL, summary: { ...RUN, models: ['mistral-small-hds'] } });
        }
        return jsonResponse([RUN]);
      }),
    );
    const user = userEvent.setup();
    render(ANNE);

    const table = await screen.findByRole('table', { name: 'Exécutions enregistrées' });
    // Each run says what was asked, not only who asked.
    expect(within(table).getByRole('columnheader', { name: 'Question' })).toBeTruthy();
    expect(within(table).getByText("Résume-moi l'intervention d'Hélène Marchal en 4 points")).toBeTruthy();
    // A row is chosen with the keyboard too; the detail opening below the list takes the focus.
    within(table).getByText('Claire Dubois').closest('tr')?.focus();
    await user.keyboard('{Enter}');
    const waterfall = await screen.findByRole('list', { name: 'Trace (chronologie)' });
    expect(document.activeElement?.contains(screen.getByRole('region', { name: "Détail de l'exécution" }))).toBe(true);
    const lines = within(waterfall)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(lines.map((line) => line?.replace(/[\d.]+ ms$/, '').trim())).toEqual([
      'invoke_agent ariane',
      'node find_meeting',
      'execute_tool find_meeting',
      'embeddings all-minilm-l6-v2 · autorisé',
    ]);
    const policy = screen.getByRole('list', { name: 'Décisions de politique' });
    expect(policy.textContent).toContain('autorisé (embeddings-for-all)');
    expect(screen.getByText('Outil calendar.find_meeting — succès')).toBeTruthy();

    // The what-if replay suggests a model the run was allowed to use, not one the policy may refuse.
    expect(screen.getByRole('textbox', { name: 'Autre modèle' }).getAttribute('placeholder')).toBe('mistral-small-hds');
    await user.click(screen.getByRole('button', { name: "Rejouer à l'identique" }));
    expect(await screen.findByText(/identique — 5 étape\(s\) rejouée\(s\)/)).toBeTruthy();
    expect(urls).toContain('POST /api/audit/runs/r1/replay');
  });

  it("shows a robot's launch after its approval: the automation, the approver, the exact inputs, the job", async () => {
    const launchRun = { ...RUN, workflow: 'robot_launch', question: 'Lancement du robot « Rapport AD »' };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        if (String(input).includes('/api/audit/runs/r1')) {
          return jsonResponse({
            ...DETAIL,
            summary: launchRun,
            spans: [],
            steps: [],
            policy: [],
            outcome: { answer: 'Le robot a terminé avec succès.' },
            launch: {
              actor: { kind: 'automation', name: 'Rapport AD quotidien', trigger: 'schedule' },
              approval: {
                id: 'a1',
                status: 'approved',
                approver: { email: 'paul.henry@chru-exemple.fr', display_name: 'Paul Henry' },
                decided_at: '2026-12-02T06:00:31Z',
                reason: null,
                request_run_id: null,
              },
              robot: { id: 'rapport-vulnerabilites-ad', name: 'Rapport AD', version: 1, digest: 'd1' },
              inputs: { date: '2026-12-02' },
              digest: 'abc123',
              job: { id: 'j1', status: 'succeeded' },
            },
          });
        }
        return jsonResponse([launchRun]);
      }),
    );
    const user = userEvent.setup();
    render(ANNE);

    const table = await screen.findByRole('table', { name: 'Exécutions enregistrées' });
    await user.click(within(table).getByText('Claire Dubois'));
    const launch = await screen.findByRole('region', { name: 'Lancement du robot après validation' });
    expect(launch.textContent).toContain("Lancé par l'automatisation « Rapport AD quotidien »");
    expect(launch.textContent).toContain('Décision : approved par Paul Henry le 2026-12-02T06:00:31Z');
    expect(launch.textContent).toContain('Tâche j1 : succeeded');
    expect(launch.textContent).toContain('"date": "2026-12-02"');
    expect(launch.textContent).toContain('abc123');
    expect(screen.getByText('Le robot a terminé avec succès.')).toBeTruthy();
  });

  it('sends the filters as query parameters', async () => {
    const fetch = vi.fn(async () => jsonResponse([]));
    vi.stubGlobal('fetch', fetch);
    const user = userEvent.setup();
    render(ANNE);
    await screen.findByText('Aucune exécution enregistrée pour ces critères.');
    await user.type(screen.getByRole('textbox', { name: 'Utilisateur' }), 'claire');
    await user.click(screen.getByRole('checkbox', { name: 'Avec refus de politique' }));
    await user.click(screen.getByRole('button', { name: 'Filtrer' }));
    await vi.waitFor(() =>
      expect(fetch.mock.calls.map((call) => String((call as unknown[])[0]))).toContain(
        '/api/audit/runs?user=claire&refusals=true',
      ),
    );
  });
});
