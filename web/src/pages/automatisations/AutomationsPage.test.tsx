import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Me } from '../../api/me';
import { storeSignedInUser } from '../../test/signedInUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import type { Automation, Firing } from './api';

// Bounded waits, generous for a loaded machine (two cores shared by several test suites).
const WAIT = { timeout: 10_000 };

const PAUL: Me = {
  id: 'u-paul',
  email: 'paul.henry@chru-exemple.fr',
  display_name: 'Paul Henry',
  job_title: 'RSSI',
  service: 'Sécurité SI',
  job_category: 'Encadrement',
  roles: ['staff', 'security'],
};
const PERSON = { id: 'u-julien', email: 'julien.perrin@chru-exemple.fr', display_name: 'Julien Perrin' };

const TRIGGER: Automation = {
  id: 'auto-1',
  name: 'Alertes de compte compromis',
  kind: 'mail',
  action: 'robot',
  status: 'pending',
  robot_id: 'securisation-compte-compromis',
  robot_name: "Mise en sécurité d'un compte compromis",
  message: null,
  thread_id: null,
  model: null,
  owner: PERSON,
  created_by: { id: 'u-thomas', email: 'thomas.roux@chru-exemple.fr', display_name: 'Thomas Roux' },
  approved_by: null,
  decided_at: null,
  inputs: {},
  mailbox: 'alertes-securite@chru-exemple.fr',
  filter: { sender: '@vigiesante-exemple.fr', subject: 'compte compromis', body: null },
  cron: null,
  timezone: 'Europe/Paris',
  catch_up: true,
  notify: [],
  next_slot: null,
  last_slot: null,
  created_at: '2026-12-05T08:00:00Z',
  updated_at: '2026-12-05T08:00:00Z',
  may_edit: false,
  may_approve: true,
  last_firings: [],
};

const FIRING: Firing = {
  id: 'f-1',
  automation_id: 'auto-1',
  key: '<VS-2026-1201@vigiesante-exemple.fr>',
  origin: 'mail',
  status: 'awaiting_approval',
  detail: 'En attente de validation.',
  message: { subject: '[Vigie Santé] Compte compromis : nadia.benali', sender: { address: 'soc@vigiesante-exemple.fr', name: 'SOC' } },
  inputs: { compte: 'nadia.benali@chru-exemple.fr' },
  extraction: null,
  interpretation: null,
  approval_id: 'a-1',
  job_id: null,
  created_at: '2026-12-05T08:05:00Z',
  finished_at: null,
  reply_sent_at: null,
};

function stubApi(calls: string[]) {
  let current = TRIGGER;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      calls.push(`${init?.method ?? 'GET'} ${path}`);
      if (path === '/api/me') return jsonResponse(PAUL);
      if (path === '/api/automations') return jsonResponse([current]);
      if (path === '/api/automations/auto-1/approve') {
        current = { ...current, status: 'active', may_approve: false, approved_by: { id: 'u-paul', email: PAUL.email, display_name: 'Paul Henry' } };
        return jsonResponse(current);
      }
      if (path === '/api/automations/auto-1/pause') return jsonResponse((current = { ...current, status: 'paused' }));
      if (path === '/api/automations/auto-1/firings') return jsonResponse([FIRING]);
      return jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
    }),
  );
}

describe('the Automatisations page', () => {
  beforeEach(() => storeSignedInUser('token-paul', 3600));

  it('lets one of the robot approvers approve a trigger, pause it and read its firings', async () => {
    const calls: string[] = [];
    stubApi(calls);
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/automatisations' });

    const card = await screen.findByTestId('automation-card', {}, WAIT);
    expect(card.textContent).toContain(
      "À l'arrivée d'un message dans alertes-securite@chru-exemple.fr (@vigiesante-exemple.fr · compte compromis)",
    );
    expect(card.textContent).toContain("Robot « Mise en sécurité d'un compte compromis », pour le compte de Julien Perrin");
    await user.click(within(card).getByRole('button', { name: "Valider l'automatisation" }));
    expect(await within(card).findByText('Validée par Paul Henry', {}, WAIT)).toBeTruthy();
    await user.click(within(card).getByRole('button', { name: 'Mettre en pause' }));
    expect(await within(card).findByRole('button', { name: 'Reprendre' }, WAIT)).toBeTruthy();
    await user.click(within(card).getByRole('button', { name: 'Historique' }));

    const history = await within(card).findByRole('region', { name: 'Historique des déclenchements' }, WAIT);
    expect(history.textContent).toContain('message — [Vigie Santé] Compte compromis : nadia.benali — en attente de validation');
    expect(calls).toEqual(expect.arrayContaining(['POST /api/automations/auto-1/approve', 'POST /api/automations/auto-1/pause']));
  }, 30_000);

  it('is reached from the Activité page', async () => {
    vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL) => {
      const path = String(input);
      if (path === '/api/me') return jsonResponse(PAUL);
      if (path === '/api/activity') return jsonResponse({ requests: [], to_decide: [], jobs: [] });
      if (path === '/api/automations') return jsonResponse([]);
      return jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
    }));
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/activite' });

    await user.click(await screen.findByRole('link', { name: 'Automatisations' }, WAIT));

    expect(await screen.findByText('Aucune automatisation à afficher.', {}, WAIT)).toBeTruthy();
  }, 30_000);

  it('shows the creation form to tool developers and AI coordinators only', async () => {
    stubApi([]);
    renderWithProviders(<App />, { path: '/automatisations' });
    await screen.findByTestId('automation-card', {}, WAIT);
    expect(screen.queryByRole('button', { name: 'Nouvelle automatisation' })).toBeNull();
  }, 30_000);

  it('lets a tool developer create a mail trigger; a refusal keeps what was typed', async () => {
    const THOMAS: Me = { ...PAUL, id: 'u-thomas', email: 'thomas.roux@chru-exemple.fr', display_name: 'Thomas Roux', roles: ['staff', 'tool_developer', 'ai_admin'] };
    const posted: unknown[] = [];
    vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      if (path === '/api/me') return jsonResponse(THOMAS);
      if (path === '/api/robots') return jsonResponse([{ id: 'securisation-compte-compromis', name: "Mise en sécurité d'un compte compromis" }]);
      if (path === '/api/automations' && init?.method === 'POST') {
        const body = JSON.parse(String(init.body));
        posted.push(body);
        if (posted.length === 1) {
          return jsonResponse({ error: 'invalid_automation', detail: 'Personne inconnue « julien.perin@chru-exemple.fr ».' }, 422);
        }
        return jsonResponse({ ...TRIGGER, name: body.name, model: body.model ?? null }, 201);
      }
      if (path === '/api/automations') return jsonResponse([]);
      return jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
    }));
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/automatisations' });

    await user.click(await screen.findByRole('button', { name: 'Nouvelle automatisation' }, WAIT));
    const form = screen.getByRole('form', { name: 'Nouvelle automatisation' });
    await user.type(within(form).getByRole('textbox', { name: /^Nom/ }), 'Alertes de compte compromis');
    await within(form).findByRole('option', { name: "Mise en sécurité d'un compte compromis" }, WAIT);
    await user.selectOptions(within(form).getByRole('combobox', { name: /^Robot lancé/ }), 'securisation-compte-compromis');
    await user.type(within(form).getByRole('textbox', { name: /^Boîte aux lettres surveillée/ }), 'alertes-securite@chru-exemple.fr');
    await user.type(within(form).getByRole('textbox', { name: /^Expéditeur/ }), '@vigiesante-exemple.fr');
    await user.type(within(form).getByRole('textbox', { name: /^L'objet contient/ }), 'compte compromis');
    await user.type(within(form).getByRole('textbox', { name: /^Modèle/ }), 'mistral-small-hds');
    await user.type(within(form).getByRole('textbox', { name: /^Pour le compte de/ }), 'julien.perin@chru-exemple.fr');
    await user.type(within(form).getByRole('textbox', { name: /^Personnes prévenues/ }), 'paul.henry@chru-exemple.fr');

    // Fixed inputs that are not a JSON object: said in French, nothing sent.
    await user.type(within(form).getByRole('textbox', { name: /^Entrées fixes/ }), '[[1, 2]');
    await user.click(within(form).getByRole('button', { name: 'Créer (à valider ensuite)' }));
    expect((await within(form).findByRole('alert', {}, WAIT)).textContent).toContain('doivent être un objet JSON');
    expect(posted).toEqual([]);
    await user.clear(within(form).getByRole('textbox', { name: /^Entrées fixes/ }));

    // The server refuses (a typo in the owner): its reason is shown and the form keeps every field.
    await user.click(within(form).getByRole('button', { name: 'Créer (à valider ensuite)' }));
    expect(await within(form).findByText('Personne inconnue « julien.perin@chru-exemple.fr ».', {}, WAIT)).toBeTruthy();
    expect(posted[0]).toEqual({
      name: 'Alertes de compte compromis',
      kind: 'mail',
      action: 'robot',
      robot_id: 'securisation-compte-compromis',
      owner: 'julien.perin@chru-exemple.fr',
      inputs: {},
      notify: ['paul.henry@chru-exemple.fr'],
      model: 'mistral-small-hds',
      mailbox: 'alertes-securite@chru-exemple.fr',
      filter: { sender: '@vigiesante-exemple.fr', subject: 'compte compromis' },
    });
    const owner = within(form).getByRole('textbox', { name: /^Pour le compte de/ });
    await user.clear(owner);
    await user.type(owner, 'julien.perrin@chru-exemple.fr');
    await user.click(within(form).getByRole('button', { name: 'Créer (à valider ensuite)' }));

    // Created: the form closes and the new automation is listed, awaiting the robot's approvers.
    const card = await screen.findByTestId('automation-card', {}, WAIT);
    expect(card.textContent).toContain('En attente de validation par un approbateur du robot');
    expect(card.textContent).toContain('Le message est lu par le modèle « mistral-small-hds »');
    expect(screen.queryByRole('form', { name: 'Nouvelle automatisation' })).toBeNull();
    expect((posted[1] as { owner: string }).owner).toBe('julien.perrin@chru-exemple.fr');
  }, 60_000);

  it('lets a tool developer create a trigger that posts a message, approved by the AI coordination', async () => {
    const SOPHIE: Me = { ...PAUL, id: 'u-sophie', email: 'sophie.girard@chru-exemple.fr', display_name: 'Sophie Girard', roles: ['staff', 'tool_developer'] };
    const posted: Record<string, unknown>[] = [];
    vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      if (path === '/api/me') return jsonResponse(SOPHIE);
      if (path === '/api/robots') return jsonResponse([]);
      if (path === '/api/automations' && init?.method === 'POST') {
        const body = JSON.parse(String(init.body));
        posted.push(body);
        const owner = { id: 'u-paul', email: PAUL.email, display_name: 'Paul Henry' };
        return jsonResponse({ ...TRIGGER, ...body, robot_id: null, robot_name: null, owner, may_approve: false }, 201);
      }
      if (path === '/api/automations') return jsonResponse([]);
      return jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
    }));
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/automatisations' });

    await user.click(await screen.findByRole('button', { name: 'Nouvelle automatisation' }, WAIT));
    const form = screen.getByRole('form', { name: 'Nouvelle automatisation' });
    await user.click(within(form).getByRole('radio', { name: 'Publier un message' }));
    // No robot to pick, no fixed inputs: a text whose fields are listed.
    expect(within(form).queryByRole('combobox', { name: /^Robot lancé/ })).toBeNull();
    expect(within(form).queryByRole('textbox', { name: /^Entrées fixes/ })).toBeNull();
    expect(form.textContent).toContain('{{ objet }}, {{ recu_le }}');
    await user.type(within(form).getByRole('textbox', { name: /^Nom/ }), 'Alertes Vigie Santé');
    await user.type(within(form).getByRole('textbox', { name: /^Boîte aux lettres surveillée/ }), 'alertes-securite@chru-exemple.fr');
    await user.type(within(form).getByRole('textbox', { name: /^L'objet contient/ }), 'compte compromis');
    await user.type(within(form).getByRole('textbox', { name: /^Pour le compte de/ }), 'paul.henry@chru-exemple.fr');
    const text = within(form).getByRole('textbox', { name: /^Texte/ });
    await user.click(text);
    await user.paste('Alerte : {{ objet }} ({{ comptes }})');
    await user.click(within(form).getByRole('button', { name: 'Créer (à valider ensuite)' }));

    const card = await screen.findByTestId('automation-card', {}, WAIT);
    expect(posted).toEqual([
      {
        name: 'Alertes Vigie Santé',
        kind: 'mail',
        action: 'chat',
        message: 'Alerte : {{ objet }} ({{ comptes }})',
        owner: 'paul.henry@chru-exemple.fr',
        inputs: {},
        notify: [],
        mailbox: 'alertes-securite@chru-exemple.fr',
        filter: { subject: 'compte compromis' },
      },
    ]);
    expect(card.textContent).toContain('Message dans la conversation de Paul Henry');
    expect(card.textContent).toContain('Texte : Alerte : {{ objet }} ({{ comptes }})');
    expect(card.textContent).toContain('En attente de validation par la coordination IA');
  }, 60_000);
});
