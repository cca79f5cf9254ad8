import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/me';
import { storeSignedInUser } from '../../test/signedInUser';
import { CurrentUserContext } from '../../shell/CurrentUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { ToolsPage } from './ToolsPage';
import type { ServerDetail, ServerSummary } from './api';

const THOMAS: Me = {
  id: 'u1',
  email: 'thomas.roux@chru-exemple.fr',
  display_name: 'Thomas Roux',
  job_title: 'Coordinateur IA',
  service: 'DTNIB',
  job_category: 'Ingénierie',
  roles: ['staff', 'ai_admin'],
};

const SUMMARY: ServerSummary = {
  name: 'badges',
  transport: 'stdio',
  status: 'active',
  health: 'ok',
  tools: 1,
  active_tools: 0,
  attention: 1,
  registered_by: 'sophie.girard@chru-exemple.fr',
  created_at: '2026-11-28T10:00:00Z',
};

const DETAIL: ServerDetail = {
  ...SUMMARY,
  url: null,
  package: null,
  package_version: null,
  network: false,
  hosting: 'on_prem',
  data_class: 'internal',
  isolation: '',
  inspected_at: null,
  inspected_by: null,
  server_info: {},
  checked_at: null,
  approved_at: null,
  command: 'python',
  args: ['badges.py'],
  env_keys: [],
  auth: 'none',
  protocol_version: '2024-11-05',
  health_detail: '',
  approved_by: 'thomas.roux@chru-exemple.fr',
  tools: [
    {
      name: 'lookup_badge',
      description: "Donne l'état d'un badge et le désactive.",
      status: 'suspended',
      status_reason: 'definition_changed',
      digest: 'sha256:new',
      approved_digest: 'sha256:old',
      changed: true,
      diff: '--- approuvée\n+++ présentée\n-  "description": "avant"\n+  "description": "après"\n',
      review: null,
      findings: [],
      input_schema: { type: 'object', properties: { badge: { type: 'string' } }, required: ['badge'] },
      output_schema: null,
      annotations: { readOnlyHint: false },
      roles: ['staff'],
      services: [],
      assistants: [],
      confirmation: false,
      timeout_seconds: 30,
      rate_per_minute: 30,
      max_result_bytes: 200000,
    },
  ],
};

function render(user: Me) {
  return renderWithProviders(
    <CurrentUserContext.Provider value={user}>
      <ToolsPage />
    </CurrentUserContext.Provider>,
    { path: '/outils' },
  );
}

describe('ToolsPage', () => {
  beforeEach(() => storeSignedInUser('token-thomas', 3600));

  it('is not shown to staff without the tool_developer or ai_admin role', () => {
    vi.stubGlobal('fetch', vi.fn());
    render({ ...THOMAS, roles: ['staff'] });
    expect(screen.getByText('Accès non autorisé')).toBeTruthy();
  });

  it('shows a suspended tool with the diff of its definition, and approves it again', async () => {
    const posted: string[] = [];
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (init?.method === 'POST') posted.push(url);
      if (url.endsWith('/api/tools')) return jsonResponse([SUMMARY]);
      return jsonResponse(DETAIL);
    });
    vi.stubGlobal('fetch', fetch);
    const user = userEvent.setup();
    render(THOMAS);

    await user.click(await screen.findByRole('tab', { name: /badges/ }));
    expect(await screen.findByText('Définition modifiée depuis l\'approbation : à approuver de nouveau.')).toBeTruthy();
    expect(screen.getByText('+ "description": "après"')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Approuver les outils en attente' }));

    expect(posted.some((url) => url.endsWith('/api/tools/badges/approve'))).toBe(true);
  });

  it('inspects a declaration nothing has started yet, then approves it with a read-only tool', async () => {
    const posted: { url: string; body: unknown }[] = [];
    const declared: ServerDetail = {
      ...DETAIL,
      status: 'pending_review',
      registered_by: 'sophie.girard@chru-exemple.fr',
      package: 'mcp-server-time',
      package_version: '2025.9.25',
      command: null,
      args: [],
      inspected_at: null,
      isolation: 'bubblewrap, utilisateur 64000',
      tools: [],
    };
    const inspected: ServerDetail = {
      ...declared,
      inspected_at: '2026-11-28T10:05:00Z',
      tools: DETAIL.tools.map((tool) => ({ ...tool, status: 'pending_review', status_reason: '', changed: false, diff: '' })),
    };
    let current = declared;
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (init?.method === 'POST') {
        posted.push({ url, body: init.body ? JSON.parse(String(init.body)) : null });
        if (url.endsWith('/inspect')) current = inspected;
      }
      if (url.endsWith('/api/tools')) return jsonResponse([{ ...SUMMARY, status: 'pending_review' }]);
      return jsonResponse(current);
    });
    vi.stubGlobal('fetch', fetch);
    const user = userEvent.setup();
    render(THOMAS);

    await user.click(await screen.findByRole('tab', { name: /badges/ }));
    expect(await screen.findByText("Pas encore inspecté : rien n'a été démarré ni contacté.")).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approuver' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Inspecter (démarrer dans le bac à sable)' }));
    await user.click(await screen.findByRole('checkbox', { name: 'Lecture seule (pas de confirmation à chaque appel)' }));
    await user.click(screen.getByRole('button', { name: 'Approuver' }));

    expect(posted.map((call) => call.url.split('/api/tools/')[1])).toEqual(['badges/inspect', 'badges/approve']);
    expect(posted[1]?.body).toEqual({ tools: { lookup_badge: { read_only: true, destructive: false } } });
  });
});
