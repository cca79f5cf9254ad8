import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { DraftEditor } from './DraftEditor';
import type { Batch, ModelOptions } from './api';

const BATCH: Batch = {
  id: 'b1',
  title: 'export',
  filename: 'export.csv',
  source: 'upload',
  columns: [
    { name: 'Civilité', key: 'civilite' },
    { name: 'Nom', key: 'nom' },
  ],
  data_class: 'health',
  detected_class: 'health',
  mode: 'model',
  model: null,
  temperature: 0,
  max_tokens: 1024,
  instruction: '',
  body: '',
  review_required: true,
  status: 'draft',
  concurrency: 4,
  total: 2,
  error: null,
  waiting_until: null,
  created_at: '2026-12-01T09:00:00Z',
  launched_at: null,
  finished_at: null,
  progress: {
    total: 2, done: 0, succeeded: 0, refused: 0, failed: 0, cancelled: 0, pending: 2, sending: 0,
    accepted: 0, edited: 0, rejected: 0, to_review: 0, rate_per_minute: 0, eta_seconds: null,
  },
};

const NONE: ModelOptions = {
  data_class: 'health',
  models: [],
  reason: 'Ce tableau contient des données de santé : aucun des modèles autorisés pour votre profil ne peut les recevoir.',
  merge_available: true,
};

describe('DraftEditor', () => {
  beforeEach(() => storeSignedInUser('token-claire', 3600));

  it('says why no model is offered and saves a mail-merge without a model', async () => {
    const patched: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'PATCH') patched.push(JSON.parse(String(init.body)));
        if (String(input).endsWith('/models')) return jsonResponse(NONE);
        return jsonResponse(BATCH);
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<DraftEditor batch={BATCH} onChanged={() => undefined} />, { path: '/courriers/b1' });

    expect(await screen.findByText(NONE.reason as string)).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Rédaction par un modèle de langage' })).toHaveProperty('disabled', true);
    expect(screen.getByText('{{civilite}}')).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Publipostage sans modèle' }));
    await user.type(screen.getByRole('textbox', { name: /Modèle de courrier/ }), 'Bonjour');
    await user.click(screen.getByRole('button', { name: 'Enregistrer' }));
    expect(patched).toEqual([expect.objectContaining({ mode: 'merge', model: null, body: 'Bonjour' })]);
  });
});
