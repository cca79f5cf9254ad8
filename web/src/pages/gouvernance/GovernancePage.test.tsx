import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/me';
import { storeSignedInUser } from '../../test/signedInUser';
import { CurrentUserContext } from '../../shell/CurrentUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { GovernancePage } from './GovernancePage';
import type { AiSystem, CollectionQuality, EvaluationPoint, ShadowReport, SystemMap } from './api';

const THOMAS: Me = {
  id: 'u5',
  email: 'thomas.roux@chru-exemple.fr',
  display_name: 'Thomas Roux',
  job_title: 'Coordinateur IA',
  service: 'DTNIB',
  job_category: 'Ingénieur',
  roles: ['staff', 'ai_admin'],
};

const SHEET = {
  owner: 'Nadia Benali, cellule temps de travail (DRH)',
  owner_email: 'nadia.benali@chru-exemple.fr',
  purpose: 'Répondre aux questions sur le temps de travail.',
  audience: 'Tous les agents',
  risk_answers: { interacts: true },
  validated_by: 'Comité de pilotage IA',
  validated_on: '2025-06-10',
  ethics_review: 'Non requis',
  status: 'in_service' as const,
  notes: '',
  score_floors: {},
  updated_by: '',
  updated_at: null,
};

const COACH: AiSystem = {
  id: 'assistant:coach-temps-de-travail',
  kind: 'assistant',
  name: 'Coach Temps de Travail',
  description: 'Questions sur le temps de travail',
  source: 'Assistants',
  data_classes: ['internal'],
  models: ['mistral-small-hds'],
  tools: ['knowledge'],
  hosting: ['hébergeur certifié HDS'],
  roles: ['staff'],
  services: [],
  facts: {},
  usage: { requests: 42, people: 7, by_service: {}, by_job_category: {} },
  sheet: SHEET,
  risk_level: 'limited',
  scores: [{ suite: 'working_time/test', scorer: 'fact_coverage', value: 0.55, floor: 0.7, at: '2026-12-02T02:00:00Z' }],
  quality: { documents: 3, review_due: 1, duplicates: 1, without_text: 0, unreached: 2 },
  flags: ['score_alert', 'knowledge_quality'],
};

const CHATGPT: AiSystem = {
  ...COACH,
  id: 'external:chatgpt',
  kind: 'external',
  name: 'ChatGPT',
  sheet: { ...SHEET, owner: '' },
  risk_level: 'unassessed',
  scores: [],
  quality: null,
  flags: ['unsanctioned_external_service'],
};

const MAP: SystemMap = {
  systems: [COACH, CHATGPT],
  flagged: 2,
  by_kind: { assistant: 1, external: 1 },
  by_risk: { limited: 1, unassessed: 1 },
  last_evaluation: { status: 'failed', reason: 'scheduled', error: 'évaluation interrompue après 1800 s', at: '2026-12-03T02:00:00Z' },
  questions: [{ key: 'interacts', text: 'Le système dialogue-t-il avec des personnes ?', level_if_yes: 'limited', reference: 'art. 50' }],
};

const RUNS: EvaluationPoint[] = [0.9, 0.55].map((value, index) => ({
  run_id: `r${index}`,
  suite: 'working_time',
  split: 'test',
  reason: index === 0 ? 'initial' : 'assistant',
  change: {},
  status: 'done',
  cases: 12,
  scores: { fact_coverage: value },
  floors: { fact_coverage: 0.7 },
  error: null,
  at: `2026-12-0${index + 1}T02:00:00Z`,
}));

const QUALITY: CollectionQuality[] = [
  {
    collection: 'coach-temps-de-travail',
    system_id: COACH.id,
    counts: COACH.quality!,
    issues: [
      { id: 'd1', title: 'rigtt', issue: 'review_due', detail: '2025-01-31' },
      { id: 'd2', title: 'rigtt-copie', issue: 'duplicate', detail: 'rigtt' },
    ],
  },
];

const REPORT: ShadowReport = {
  summary: {
    id: 'rep1',
    name: 'Exemple — proxy du CHRU Exemple, novembre 2026',
    source_format: 'squid',
    uploaded_by: 'ariane',
    sample: true,
    catalogue_version: 1,
    lines: 107000,
    ai_lines: 5200,
    malformed: 12,
    malformed_examples: [],
    first_day: '2026-11-01',
    last_day: '2026-11-30',
    people: 40,
    unknown_people: 2,
    created_at: '2026-12-01T00:00:00Z',
  },
  services: [{ ai_service: 'chatgpt', name: 'ChatGPT', provider: 'OpenAI', kind: 'chat', country: 'US', requests: 3000, people: 25, bytes: 1 }],
  by_service: [{ label: 'DRH', requests: 2000, people: 10 }],
  by_job_category: [{ label: 'Administratif', requests: 4000, people: 30 }],
  by_category_and_service: [{ job_category: 'Administratif', ai_service: 'chatgpt', requests: 2500, people: 20 }],
  weekly: [{ week: '2026-11-02', ai_service: 'chatgpt', requests: 700, people: 20 }],
  names_visible: false,
  min_group: 3,
  people: null,
};

function answer(url: string): unknown {
  if (url.endsWith('/api/governance/systems')) return MAP;
  if (url.endsWith('/evaluations')) return RUNS;
  if (url.includes('/api/governance/systems/')) return { ...COACH, history: [] };
  if (url.endsWith('/api/governance/quality')) return QUALITY;
  if (url.includes('/shadow/reports?name=')) return REPORT.summary;
  if (url.endsWith('/shadow/reports')) return [REPORT.summary];
  if (url.includes('/shadow/reports/')) return REPORT;
  if (url.endsWith('/shadow/catalogue')) return { version: 0, document: '', author: null, services: 0, entries: [] };
  return [];
}

function render(user: Me, path = '/gouvernance') {
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return jsonResponse(answer(String(input)));
    }),
  );
  renderWithProviders(
    <CurrentUserContext.Provider value={user}>
      <Routes>
        <Route path="/gouvernance/*" element={<GovernancePage />} />
      </Routes>
    </CurrentUserContext.Provider>,
    { path },
  );
  return urls;
}

describe('GovernancePage', () => {
  beforeEach(() => {
    storeSignedInUser('token-thomas', 3600);
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    );
  });

  it('is not shown to a staff member', () => {
    render({ ...THOMAS, roles: ['staff'] });
    expect(screen.getByText('Accès non autorisé')).toBeTruthy();
  });

  it('maps every system with its risk, last scores and flags', async () => {
    render({ ...THOMAS, roles: ['direction'] });
    const table = await screen.findByRole('table', { name: "Systèmes d'IA" });
    const coach = within(table).getByText('Coach Temps de Travail').closest('tr')!;
    expect(coach.textContent).toContain('Risque limité');
    expect(coach.textContent).toContain('fact_coverage 0.55');
    expect(coach.textContent).toContain('Score en alerte');
    expect(coach.textContent).toContain('Qualité des documents');
    expect(screen.getByText('2 systèmes, dont 2 à examiner.')).toBeTruthy();
    expect(screen.getByText(/n'a pas pu être faite : évaluation interrompue après 1800 s$/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Lancer une évaluation' })).toBeNull(); // AI administrators only
  });

  it("opens a system's sheet with its drift chart, its runs and its documents' quality", async () => {
    const user = userEvent.setup();
    render(THOMAS);
    await user.click(await screen.findByRole('link', { name: 'Coach Temps de Travail' }));

    const sheet = await screen.findByRole('article', { name: 'Coach Temps de Travail' });
    expect(await within(sheet).findByRole('img', { name: 'Scores de la suite « working_time/test » dans le temps' })).toBeTruthy();
    const runs = within(sheet).getByRole('table', { name: 'Évaluations de la suite « working_time/test »' });
    const rows = within(runs).getAllByRole('row').slice(1).map((row) => row.textContent);
    expect(rows).toEqual([expect.stringContaining('assistant modifiéfact_coverage 0.55'), expect.stringContaining('première évaluationfact_coverage 0.90')]);
    expect(await within(sheet).findByText('À réviser depuis le 2025-01-31', { exact: false })).toBeTruthy();
    expect(within(sheet).getByText('Doublon de « rigtt »', { exact: false })).toBeTruthy();
    expect(within(sheet).getByText('Nadia Benali, cellule temps de travail (DRH)')).toBeTruthy();
  });

  it("saves an AI administrator's change to the sheet", async () => {
    const user = userEvent.setup();
    const urls = render(THOMAS, `/gouvernance/systemes/${encodeURIComponent(COACH.id)}`);
    await user.click(await screen.findByRole('button', { name: 'Modifier la fiche' }));
    const owner = screen.getByRole('textbox', { name: 'Responsable' });
    await user.clear(owner);
    await user.type(owner, 'Cellule temps de travail');
    await user.click(screen.getByRole('button', { name: 'Enregistrer' }));

    await screen.findByRole('button', { name: 'Modifier la fiche' });
    const patch = vi.mocked(fetch).mock.calls.find(([, init]) => init?.method === 'PATCH');
    expect(urls).toContain(`PATCH /api/governance/systems/${encodeURIComponent(COACH.id)}`);
    expect(JSON.parse(String(patch?.[1]?.body))).toMatchObject({ owner: 'Cellule temps de travail', status: 'in_service' });
  });

  it('shows shadow AI in counts to everyone but the security role, with its charts and export', async () => {
    render(THOMAS, '/gouvernance/ia-fantome');
    expect(await screen.findByText(/Vue pseudonymisée/)).toBeTruthy();
    expect(screen.getByRole('img', { name: "Services d'IA les plus utilisés (requêtes)" })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Requêtes par semaine' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Par catégorie de métier (requêtes)' })).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Personnes' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Exporter en CSV' })).toBeTruthy();
  });

  it('imports a proxy log as the request body for an AI administrator', async () => {
    const user = userEvent.setup();
    const urls = render(THOMAS, '/gouvernance/ia-fantome');
    const input = await screen.findByLabelText('Journal du proxy web (access.log de Squid ou export CSV)');
    const log = new File(['1796000000.000 10 10.0.0.1 TCP_MISS/200 900 CONNECT chatgpt.com:443 claire HIER_DIRECT/1.2.3.4 -\n'], 'proxy.log');
    await user.upload(input, log);
    await user.click(screen.getByRole('button', { name: 'Importer un journal' }));

    await screen.findByText(/importé : 107/);
    const post = vi.mocked(fetch).mock.calls.find(([, init]) => init?.method === 'POST');
    expect(urls).toContain('POST /api/governance/shadow/reports?name=proxy.log&format=auto');
    expect(post?.[1]?.body).toBe(log);
    expect(screen.getByRole('table', { name: "Par catégorie de métier et service d'IA" })).toBeTruthy();
  });

  it('offers no import to an auditor', async () => {
    render({ ...THOMAS, roles: ['auditor'] }, '/gouvernance/ia-fantome');
    await screen.findByText(/Vue pseudonymisée/);
    expect(screen.queryByRole('button', { name: 'Importer un journal' })).toBeNull();
  });

  it('downloads the certification pack with the user token', async () => {
    const user = userEvent.setup();
    const created = vi.fn(() => 'blob:pack');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const urls = render(THOMAS);
    await user.click(screen.getByRole('button', { name: 'Télécharger le dossier de certification' }));
    await vi.waitFor(() => expect(created).toHaveBeenCalled());
    expect(urls).toContain('GET /api/governance/pack');
  });
});
