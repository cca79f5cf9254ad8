import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import type { Citation } from '../../chat/types';
import { renderWithProviders } from '../../test/render';
import { AttachmentThread, SourcesList } from './Citations';

const ATTACHED: Citation = {
  index: 1,
  source: 'attachment',
  id: 'a1',
  title: 'pret-materiel.txt',
  locator: 'section « Prêt de matériel informatique »',
  quote: 'Le prêt dure au plus quinze jours ouvrés.',
  url: null,
};

describe('a citation of an attached file', () => {
  beforeEach(() => storeSignedInUser('token-nadia', 3600));
  afterEach(() => vi.unstubAllGlobals());

  it('names the file, says it is attached, and downloads it with the token', async () => {
    const fetch = vi.fn(async () => new Response('Le prêt dure au plus quinze jours ouvrés.', { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:file'), revokeObjectURL: vi.fn() }));
    const user = userEvent.setup();
    renderWithProviders(
      <AttachmentThread.Provider value="t1">
        <SourcesList citations={[ATTACHED]} turnKey="r1" />
      </AttachmentThread.Provider>,
    );

    const entry = screen.getByTestId('citation');
    expect(entry.textContent).toContain('pret-materiel.txt (fichier joint)');
    expect(entry.querySelector('a')).toBeNull(); // no address to follow: the file is the conversation's

    await user.click(screen.getByRole('button', { name: 'Télécharger « pret-materiel.txt »' }));

    expect(fetch).toHaveBeenCalledWith('/api/threads/t1/attachments/a1/content', expect.objectContaining({ method: 'GET' }));
    const headers = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1].headers as Headers;
    expect(headers.get('Authorization')).toBe('Bearer token-nadia');
  });
});
