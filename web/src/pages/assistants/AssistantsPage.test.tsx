import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/me';
import type { Assistant, EditorOptions } from '../../assistants/types';
import { storeSignedInUser } from '../../test/signedInUser';
import { CurrentUserContext } from '../../shell/CurrentUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { AssistantsPage } from './AssistantsPage';

configure({ asyncUtilTimeout: 5000 });

const SOPHIE: Me = {
  id: 'u-sophie',
  email: 'sophie.girard@chru-exemple.fr',
  display_name: 'Sophie Girard',
  job_title: "Responsable du centre d'innovation",
  service: 'DTNIB',
  job_category: 'Ingénierie',
  roles: ['staff', 'tool_developer'],
};

const COACH: Assistant = {
  id: 'coach-temps-de-travail',
  version: 1,
  name: 'Coach Temps de Travail',
  description: 'Répond à vos questions sur le temps de travail.',
  instructions: 'Réponds brièvement.',
  data_class: 'internal',
  models: [],
  tools: ['knowledge'],
  workflows: ['knowledge_question'],
  knowledge: 'coach-temps-de-travail',
  contact: 'la cellule temps de travail de la DRH (poste 4521)',
  starter_prompts: ["Comment est compensé mon temps d'astreinte ?"],
  audience: { roles: [], services: [] },
  builtin: true,
  author: null,
  created_at: '2026-11-28T10:00:00Z',
  updated_at: '2026-11-28T10:00:00Z',
  can_edit: false,
  issues: [],
};

const PAIE: Assistant = {
  ...COACH,
  id: 'aide-paie',
  name: 'Aide paie',
  description: 'Les questions de paie.',
  models: ['gpt-4o-azure-fr'],
  builtin: false,
  author: { id: 'u-sophie', display_name: 'Sophie Girard', email: SOPHIE.email },
  can_edit: true,
  starter_prompts: [],
  issues: [
    {
      kind: 'model_not_allowed',
      name: 'gpt-4o-azure-fr',
      detail: "La politique d'usage ne vous autorise plus le modèle « gpt-4o-azure-fr » pour cet assistant.",
    },
  ],
};

const OPTIONS: EditorOptions = {
  models: [{ id: 'mistral-small-hds', label: 'Mistral Small 3.2 (vLLM, hébergement HDS)' }],
  tools: [
    { id: 'documents', label: 'Documents SharePoint' },
    { id: 'knowledge', label: "Documents de référence de l'assistant" },
  ],
  workflows: [{ id: 'knowledge_question', label: 'Réponse à partir des documents de référence' }],
  data_classes: ['public', 'internal', 'personal', 'health'].map((id) => ({ id, label: id })),
  roles: ['staff', 'manager'],
  services: ['DRH', 'DTNIB'],
};

type Handler = (init: RequestInit) => Response;

function stubApi(routes: Record<string, Handler>) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const handler = routes[`${init.method ?? 'GET'} ${url.pathname}`];
    return handler ? handler(init) : jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function Where() {
  const location = useLocation();
  return <output data-testid="where">{`${location.pathname}${location.search}`}</output>;
}

function render(path: string, user: Me = SOPHIE) {
  return renderWithProviders(
    <CurrentUserContext.Provider value={user}>
      <Routes>
        <Route path="/assistants/*" element={<AssistantsPage />} />
        <Route path="*" element={<Where />} />
      </Routes>
    </CurrentUserContext.Provider>,
    { path },
  );
}

describe('the Assistants page', () => {
  beforeEach(() => storeSignedInUser('token-sophie', 3600));

  it('shows what each assistant is for, who made it, its starter prompts, and opens a chat with it', async () => {
    stubApi({ 'GET /api/assistants': () => jsonResponse([COACH, PAIE]) });
    const user = userEvent.setup();
    render('/assistants');
    const coach = await screen.findByRole('group', { name: 'Coach Temps de Travail' });
    expect(within(coach).getByText('Répond à vos questions sur le temps de travail.')).toBeTruthy();
    expect(within(coach).getByText('Créé par Ariane (intégré)')).toBeTruthy();
    expect(within(coach).getByText("Comment est compensé mon temps d'astreinte ?")).toBeTruthy();
    expect(within(coach).queryByRole('button', { name: 'Modifier' })).toBeNull();
    const paie = screen.getByRole('group', { name: 'Aide paie' });
    expect(within(paie).getByText('Créé par Sophie Girard')).toBeTruthy();
    expect(within(paie).getByText('1 point à revoir')).toBeTruthy();
    await user.click(within(coach).getByRole('button', { name: 'Discuter' }));
    expect(screen.getByTestId('where').textContent).toBe('/chat?assistant=coach-temps-de-travail');
  });

  it('offers to build an assistant to staff but not to an auditor', async () => {
    stubApi({ 'GET /api/assistants': () => jsonResponse([COACH]) });
    const { unmount } = render('/assistants');
    expect(await screen.findByRole('button', { name: 'Nouvel assistant' })).toBeTruthy();
    unmount();
    render('/assistants', { ...SOPHIE, roles: ['auditor'] });
    await screen.findByRole('group', { name: 'Coach Temps de Travail' });
    expect(screen.queryByRole('button', { name: 'Nouvel assistant' })).toBeNull();
  });

  it('creates an assistant from the editor, refusing an empty name first', { timeout: 30000 }, async () => {
    const fetch = stubApi({
      'GET /api/assistants/options': () => jsonResponse(OPTIONS),
      'POST /api/assistants': (init) => jsonResponse({ ...PAIE, ...JSON.parse(String(init.body)), issues: [] }, 201),
      'GET /api/knowledge/aide-paie/documents': () => jsonResponse([]),
      'GET /api/assistants/aide-paie': () => jsonResponse({ ...PAIE, issues: [] }),
    });
    const user = userEvent.setup();
    render('/assistants/nouveau');
    const save = await screen.findByRole('button', { name: "Créer l'assistant" });
    await user.click(save);
    expect(await screen.findByText("Le nom de l'assistant est obligatoire.")).toBeTruthy();
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);

    await user.type(screen.getByRole('textbox', { name: /Nom/ }), 'Aide paie');
    await user.type(screen.getByRole('textbox', { name: /Instructions/ }), 'Renvoie vers la paie.');
    await user.click(screen.getByRole('checkbox', { name: 'Mistral Small 3.2 (vLLM, hébergement HDS)' }));
    await user.type(screen.getByRole('textbox', { name: /Suggestions de questions/ }), 'Quand suis-je payé ?');
    await user.click(save);
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      name: 'Aide paie',
      description: '',
      instructions: 'Renvoie vers la paie.',
      data_class: 'internal',
      models: ['mistral-small-hds'],
      tools: ['knowledge'],
      workflows: ['knowledge_question'],
      contact: '',
      starter_prompts: ['Quand suis-je payé ?'],
      audience: { roles: [], services: [] },
    });
    expect(await screen.findByRole('heading', { name: 'Documents de référence' })).toBeTruthy();
    expect(screen.getByText('Enregistré : version 1.')).toBeTruthy();
    expect(await screen.findByText("Aucun document pour l'instant.")).toBeTruthy();
    expect(screen.getByRole('heading', { name: "Essayer l'assistant" })).toBeTruthy();
  });

  it('flags what policy no longer allows in the editor', async () => {
    stubApi({
      'GET /api/assistants/options': () => jsonResponse(OPTIONS),
      'GET /api/assistants/aide-paie': () => jsonResponse(PAIE),
      'GET /api/knowledge/aide-paie/documents': () => jsonResponse([{ id: 'd1', filename: 'paie.pdf', pages: 3 }]),
    });
    render('/assistants/aide-paie');
    expect(await screen.findByText("La politique d'usage ne permet plus certains choix")).toBeTruthy();
    const flagged = screen.getByRole('checkbox', { name: 'gpt-4o-azure-fr' });
    expect((flagged as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('Plus autorisé')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('paie.pdf — 3 pages')).toBeTruthy());
    expect(screen.getByRole('button', { name: 'Retirer « paie.pdf »' })).toBeTruthy();
  });

  it('does not open the editor of an assistant the user may not edit', async () => {
    stubApi({
      'GET /api/assistants/options': () => jsonResponse(OPTIONS),
      'GET /api/assistants/coach-temps-de-travail': () => jsonResponse(COACH),
    });
    render('/assistants/coach-temps-de-travail');
    expect(await screen.findByText('Accès non autorisé')).toBeTruthy();
  });
});
