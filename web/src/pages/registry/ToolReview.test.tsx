import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { ToolReview } from './ToolReview';
import type { RegisteredTool } from './api';

const TOOL: RegisteredTool = {
  name: 'get_current_time',
  description: "Donne l'heure.",
  status: 'pending_review',
  status_reason: '',
  digest: 'sha256:x',
  approved_digest: null,
  changed: false,
  diff: '',
  review: null,
  findings: [],
  input_schema: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] },
  output_schema: null,
  annotations: { readOnlyHint: true },
  roles: [],
  services: [],
  assistants: ['ariane'],
  confirmation: true,
  timeout_seconds: 30,
  rate_per_minute: 30,
  max_result_bytes: 200000,
};

describe('the review of a tool', { timeout: 20000 }, () => {
  it('shows its input schema and annotations, MCP defaults marked, and saves who may use it', async () => {
    storeSignedInUser('token', 3600);
    const fetch = vi.fn(async () => jsonResponse({}));
    vi.stubGlobal('fetch', fetch);
    const changed = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ToolReview server="time" tool={TOOL} admin onChanged={changed} />);

    await user.click(screen.getByRole('button', { name: "Schémas d'entrée et de sortie" }));
    expect(screen.getByText(/"timezone": \{/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Annotations MCP' }));
    expect(screen.getByText('Lecture seule : oui')).toBeTruthy();
    expect(screen.getByText('Destructif : oui (par défaut)')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: "Qui peut l'utiliser" }));
    await user.click(screen.getByRole('checkbox', { name: 'Cadres' }));
    await user.type(screen.getByRole('textbox', { name: /Services/ }), 'DTNIB, Direction des finances');
    await user.click(screen.getByRole('checkbox', { name: "Chaque appel attend la confirmation de l'utilisateur" }));
    await user.click(screen.getByRole('button', { name: 'Enregistrer les permissions' }));

    await waitFor(() => expect(changed).toHaveBeenCalled());
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect([url, init.method]).toEqual(['/api/tools/time/permissions', 'PUT']);
    expect(JSON.parse(String(init.body))).toEqual({
      tool: 'get_current_time',
      roles: ['manager'],
      services: ['DTNIB', 'Direction des finances'],
      assistants: ['ariane'],
      confirmation: false,
    });
  });
});
