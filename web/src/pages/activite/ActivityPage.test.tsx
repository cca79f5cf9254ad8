import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '../../Providers';
import { App } from '../../App';
import type { Me } from '../../api/me';
import { storeSignedInUser } from '../../test/signedInUser';
import type { Activity, Approval, RobotChange } from '../../robots/api';
import type { Delivered } from '../automatisations/api';
import { NOTIFICATIONS_KEY } from '../../notifications/useNotifications';
import { jsonResponse, renderWithProviders } from '../../test/render';

// Bounded waits, generous for a loaded machine (two cores shared by several test suites).
const WAIT = { timeout: 10_000 };

const SYLVIE: Me = {
  id: 'u-sylvie',
  email: 'sylvie.garnier@chru-exemple.fr',
  display_name: 'Sylvie Garnier',
  job_title: 'Responsable du service facturation',
  service: 'Direction des finances',
  job_category: 'Encadrement administratif',
  roles: ['staff', 'manager'],
};

const PENDING: Approval = {
  id: 'a-1',
  robot_id: 'refacturation-actes-labo',
  robot_name: 'Refacturation des actes de laboratoire arrivés après facturation',
  robot_version: 1,
  robot_digest: 'c'.repeat(64),
  risk: 'medium',
  service: 'Direction des finances',
  approvers: 'manager (Direction des finances)',
  approver_names: [],
  inputs: { periode: '2026-10' },
  digest: 'ab'.repeat(32),
  status: 'pending',
  requester: { id: 'u-marc', email: 'marc.lefevre@chru-exemple.fr', display_name: 'Marc Lefèvre' },
  approver: null,
  reason: null,
  thread_id: 't-1',
  run_id: 'r-1',
  resumed_run_id: null,
  job_id: null,
  created_at: '2026-11-28T10:00:00+01:00',
  expires_at: '2026-11-29T10:00:00+01:00',
  decided_at: null,
  may_decide: true,
};

const CHANGE: RobotChange = {
  id: 'c-1',
  robot_id: 'refacturation-actes-labo',
  spec: { id: 'refacturation-actes-labo', approvers: { roles: ['manager'], services: ['DTNIB'] } },
  digest: 'b'.repeat(64),
  current_digest: 'a'.repeat(64),
  owner_service: 'Direction des finances',
  proposed_by: 'sophie.girard@chru-exemple.fr',
  status: 'pending',
  owner_approved_by: null,
  security_approved_by: null,
  rejected_by: null,
  reason: null,
  created_at: '2026-11-28T10:00:00+01:00',
  decided_at: null,
  may_approve: true,
};

/** The server as the page reads it; returns a way to change the activity (a request made elsewhere). */
function stubApi(activity: Activity, calls: string[], changes: RobotChange[] = [], delivered: Delivered[] = []): (next: Activity) => void {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      calls.push(`${init?.method ?? 'GET'} ${path}`);
      if (path === '/api/me') return jsonResponse(SYLVIE);
      if (path === '/api/activity') return jsonResponse(activity);
      if (path === '/api/notifications') {
        return jsonResponse({ approvals: activity.to_decide.length, confirmations: 0, jobs: 0, alerts: 0, items: [] });
      }
      if (path === '/api/robot-changes') return jsonResponse(changes);
      if (path === '/api/automations/delivered') return jsonResponse(delivered);
      if (path === '/api/robot-changes/c-1/approve') return jsonResponse({ ...CHANGE, owner_approved_by: SYLVIE.email, may_approve: false });
      if (path === '/api/approvals/a-1/approve') {
        activity = { ...activity, to_decide: activity.to_decide.filter((approval) => approval.id !== 'a-1') };
        return jsonResponse({ ...PENDING, status: 'approved', may_decide: false, approver: { id: 'u-sylvie', email: SYLVIE.email, display_name: 'Sylvie Garnier' } });
      }
      return jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
    }),
  );
  return (next) => {
    activity = next;
  };
}

describe('the Activité page', () => {
  beforeEach(() => storeSignedInUser('token-sylvie', 3600));

  it('shows an approver the exact inputs and records the approval', async () => {
    const calls: string[] = [];
    stubApi({ requests: [], to_decide: [PENDING], jobs: [] }, calls);
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/activite' });

    expect(await screen.findByRole('tab', { name: 'Validations à donner (1)' }, WAIT)).toBeTruthy();
    expect(await screen.findByRole('rowheader', { name: 'periode' }, WAIT)).toBeTruthy();
    expect(screen.getByRole('cell', { name: '2026-10' })).toBeTruthy();
    expect(screen.getByTestId('robot-digest').textContent).toBe(`Définition du robot : version 1, SHA-256 ${'c'.repeat(64)}`);
    await user.click(screen.getByRole('button', { name: 'Approuver' }));

    expect(await screen.findByText('Décision de Sylvie Garnier', {}, WAIT)).toBeTruthy();
    expect(calls).toContain('POST /api/approvals/a-1/approve');
    // The inbox is read again (nothing left to give), and the decision stays on screen.
    expect(await screen.findByRole('tab', { name: 'Validations à donner (0)' }, WAIT)).toBeTruthy();
    expect(screen.getByText('Décision de Sylvie Garnier')).toBeTruthy();
  }, 30_000);

  it('keeps Approuver disabled until the inputs are shown, labelled by the robot', async () => {
    stubApi({ requests: [], to_decide: [PENDING], jobs: [] }, []);
    const answer = vi.mocked(fetch);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        if (String(input) !== `/api/robots/${PENDING.robot_id}`) return answer(input, init);
        await held;
        return jsonResponse({ id: PENDING.robot_id, input_schema: { properties: { periode: { title: 'Période facturée' } } } });
      }),
    );
    renderWithProviders(<App />, { path: '/activite' });

    expect(await screen.findByText('Chargement des entrées du robot…', {}, WAIT)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Approuver' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByRole('table', { name: 'Entrées du robot' })).toBeNull();
    release();

    expect(await screen.findByRole('rowheader', { name: 'Période facturée' }, WAIT)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Approuver' }) as HTMLButtonElement).disabled).toBe(false);
  }, 30_000);

  it("lists what the user's message automations posted, with a way to the conversation", async () => {
    const posted: Delivered = {
      id: 'f-9',
      automation_id: 'auto-9',
      key: '<VS-2026-1201@vigiesante-exemple.fr>',
      origin: 'mail',
      status: 'succeeded',
      detail: 'Message publié dans la conversation « Automatisation : Alertes Vigie Santé ».',
      message: null,
      inputs: null,
      extraction: null,
      interpretation: null,
      approval_id: null,
      job_id: null,
      created_at: '2026-12-06T08:14:00+01:00',
      finished_at: '2026-12-06T08:14:01+01:00',
      reply_sent_at: null,
      automation_name: 'Alertes Vigie Santé',
      action: 'chat',
      thread_id: 't-9',
    };
    stubApi({ requests: [], to_decide: [], jobs: [] }, [], [], [posted]);
    renderWithProviders(<App />, { path: '/activite' });

    const section = await screen.findByRole('region', { name: 'Messages de mes automatisations' }, WAIT);
    expect(section.textContent).toContain('Alertes Vigie Santé');
    expect(section.textContent).toContain('terminé — Message publié dans la conversation');
    expect(screen.getByRole('link', { name: 'Ouvrir la conversation' }).getAttribute('href')).toBe('/chat/t-9');
  }, 30_000);

  it('tells a requester who must approve', async () => {
    stubApi({ requests: [{ ...PENDING, may_decide: false, approver_names: ['Sylvie Garnier'] }], to_decide: [], jobs: [] }, []);
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/activite' });

    await user.click(await screen.findByRole('tab', { name: 'Mes demandes (1)' }, WAIT));

    expect(await screen.findByText('En attente de validation par Sylvie Garnier.', {}, WAIT)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approuver' })).toBeNull();
  }, 30_000);

  it('shows the owner service a proposed robot definition with its digests, and records the approval', async () => {
    const calls: string[] = [];
    stubApi({ requests: [], to_decide: [], jobs: [] }, calls, [CHANGE]);
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/activite' });

    const section = await screen.findByRole('region', { name: 'Définitions de robots à approuver' }, WAIT);
    expect(section.textContent).toContain(`SHA-256 proposée ${'b'.repeat(64)} · en vigueur ${'a'.repeat(64)}`);
    await user.click(screen.getByRole('button', { name: 'Approuver la définition' }));

    expect(calls).toContain('POST /api/robot-changes/c-1/approve');
    expect(await screen.findByText(`Service propriétaire : ${SYLVIE.email} · RSSI : en attente`, {}, WAIT)).toBeTruthy();
  }, 30_000);

  it('shows an approval asked while the page is open, at the next refresh of the counts', async () => {
    const setActivity = stubApi({ requests: [], to_decide: [], jobs: [] }, []);
    const queryClient = createQueryClient();
    renderWithProviders(<App />, { path: '/activite', queryClient });
    expect(await screen.findByRole('tab', { name: 'Validations à donner (0)' }, WAIT)).toBeTruthy();

    // An automation asks for an approval; the app bar's periodic refresh sees one more to give.
    setActivity({ requests: [], to_decide: [PENDING], jobs: [] });
    await queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });

    expect(await screen.findByRole('tab', { name: 'Validations à donner (1)' }, WAIT)).toBeTruthy();
    expect(await screen.findByTestId('approval-card', {}, WAIT)).toBeTruthy();
  }, 30_000);
});
