import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import type { Me } from './api/me';
import { peekUser } from './auth/userStore';
import { storeSignedInUser } from './test/signedInUser';
import { jsonResponse, renderWithProviders } from './test/render';

const CLAIRE: Me = {
  id: 'u-claire',
  email: 'claire.dubois@chru-exemple.fr',
  display_name: 'Claire Dubois',
  job_title: 'Secrétaire du DTNIB',
  service: 'DTNIB',
  job_category: 'administratif',
  roles: ['staff'],
};

/** The API as the shell sees it: `/api/me` answers `me` (or an error), and checks the token. */
function stubApi(me: Me | Response) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input) !== '/api/me') return jsonResponse({ error: 'not_found', detail: 'Introuvable.' }, 404);
    if (new Headers(init?.headers).get('Authorization') !== 'Bearer token-claire') {
      return jsonResponse({ error: 'unauthenticated', detail: 'Connexion requise.' }, 401);
    }
    return me instanceof Response ? me : jsonResponse(me);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('the shell', () => {
  beforeEach(() => {
    storeSignedInUser('token-claire', 3600);
  });

  it("shows the signed-in user's name, job title and allowed apps", async () => {
    stubApi(CLAIRE);
    renderWithProviders(<App />, { path: '/' });

    expect(await screen.findByText('Claire Dubois')).toBeTruthy();
    expect(screen.getByText('Secrétaire du DTNIB')).toBeTruthy();
    expect(screen.getByText(/Vos conversations avec les assistants apparaîtront ici\./)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Chat' }).getAttribute('aria-current')).toBe('page');
    expect(screen.queryByRole('link', { name: 'Administration' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Outils' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Audit' })).toBeNull();
  });

  it('says "not allowed" on the route of an app the user may not use', async () => {
    stubApi(CLAIRE);
    renderWithProviders(<App />, { path: '/administration' });
    expect(await screen.findByRole('heading', { name: 'Accès non autorisé' })).toBeTruthy();
  });

  it('opens an allowed app for a user who has the role', async () => {
    stubApi({ ...CLAIRE, display_name: 'Thomas Roux', roles: ['staff', 'ai_admin'] });
    renderWithProviders(<App />, { path: '/administration' });
    expect(await screen.findByRole('heading', { name: 'Administration' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Outils' })).toBeTruthy();
  });

  it('switches to English and remembers it', async () => {
    stubApi(CLAIRE);
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/activite' });
    await screen.findByText('Claire Dubois');
    await user.click(screen.getByRole('button', { name: 'Langue : Français' }));
    await user.click(await screen.findByRole('menuitemradio', { name: 'English' }));

    expect(await screen.findByRole('link', { name: 'Activity' })).toBeTruthy();
    expect(localStorage.getItem('ariane.language')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('signs out: forgets the token and says so', async () => {
    stubApi(CLAIRE);
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/chat' });
    await user.click(await screen.findByRole('button', { name: 'Se déconnecter' }));

    expect(await screen.findByRole('heading', { name: 'Vous êtes déconnecté' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Se reconnecter' })).toBeTruthy();
    expect(peekUser()).toBeNull();
  });

  it("shows the server's detail when the profile cannot be loaded, and retries", async () => {
    const fetch = stubApi(
      jsonResponse({ error: 'directory_unavailable', detail: "L'annuaire ne répond pas." }, 503),
    );
    const user = userEvent.setup();
    renderWithProviders(<App />, { path: '/chat' });

    expect(await screen.findByText("L'annuaire ne répond pas.")).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Réessayer' }));
    await waitFor(() => expect(fetch.mock.calls.filter(([input]) => String(input) === '/api/me')).toHaveLength(2));
  });
});

describe('the sign-in callback', () => {
  it('explains a provider error in French with a retry button', async () => {
    renderWithProviders(<App />, {
      path: '/auth/callback?error=access_denied&error_description=User+cancelled+the+sign-in',
    });
    expect(await screen.findByRole('heading', { name: 'La connexion a échoué' })).toBeTruthy();
    expect(screen.getByText("Le service d'identité a refusé la connexion.")).toBeTruthy();
    expect(screen.getByText(/User cancelled the sign-in/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeTruthy();
  });
});
