import { describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/render';
import { ApiError, type ApiDeps, SignInRequired, apiGet } from './client';

function deps(response: Response | Error, token: string | null = 'token-1') {
  const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => {
    if (response instanceof Error) throw response;
    return response;
  });
  const signInAgain = vi.fn(async () => {});
  const value: ApiDeps = { fetch: fetch as unknown as typeof globalThis.fetch, readToken: () => token, signInAgain };
  return { value, fetch, signInAgain };
}

describe('apiGet', () => {
  it('sends the bearer token and returns the JSON body', async () => {
    const { value, fetch } = deps(jsonResponse({ ok: true }));
    await expect(apiGet('/api/me', value)).resolves.toEqual({ ok: true });
    const [path, init] = fetch.mock.calls[0] ?? [];
    expect(path).toBe('/api/me');
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer token-1');
  });

  it("sends the UI's language as Accept-Language, the document's when none is given", async () => {
    const english = deps(jsonResponse({ ok: true }));
    await apiGet('/api/me', { ...english.value, language: () => 'en' });
    expect(new Headers(english.fetch.mock.calls[0]?.[1]?.headers).get('Accept-Language')).toBe('en');
    const previous = document.documentElement.lang;
    document.documentElement.lang = 'en';
    try {
      const fromDocument = deps(jsonResponse({ ok: true }));
      await apiGet('/api/me', fromDocument.value);
      expect(new Headers(fromDocument.fetch.mock.calls[0]?.[1]?.headers).get('Accept-Language')).toBe('en');
      document.documentElement.lang = '';
      const unset = deps(jsonResponse({ ok: true }));
      await apiGet('/api/me', unset.value);
      expect(new Headers(unset.fetch.mock.calls[0]?.[1]?.headers).get('Accept-Language')).toBe('fr');
    } finally {
      document.documentElement.lang = previous;
    }
  });

  it('restarts sign-in without calling the API when the token is missing or expired', async () => {
    const { value, fetch, signInAgain } = deps(jsonResponse({}), null);
    await expect(apiGet('/api/me', value)).rejects.toBeInstanceOf(SignInRequired);
    expect(signInAgain).toHaveBeenCalledOnce();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('restarts sign-in on 401', async () => {
    const { value, signInAgain } = deps(jsonResponse({ error: 'invalid_token', detail: 'Jeton expiré.' }, 401));
    await expect(apiGet('/api/me', value)).rejects.toBeInstanceOf(SignInRequired);
    expect(signInAgain).toHaveBeenCalledOnce();
  });

  it('turns other errors into an ApiError with the server detail', async () => {
    const { value, signInAgain } = deps(
      jsonResponse({ error: 'forbidden', detail: "Votre rôle ne permet pas d'accéder à l'audit." }, 403),
    );
    await expect(apiGet('/api/audit/runs', value)).rejects.toEqual(
      new ApiError(403, 'forbidden', "Votre rôle ne permet pas d'accéder à l'audit."),
    );
    expect(signInAgain).not.toHaveBeenCalled();
  });

  it('reports an error without a JSON body, and an unreachable server', async () => {
    const { value } = deps(new Response('Bad gateway', { status: 502 }));
    await expect(apiGet('/api/me', value)).rejects.toMatchObject({ status: 502, code: 'http_error', detail: undefined });
    const unreachable = deps(new TypeError('Failed to fetch'));
    await expect(apiGet('/api/me', unreachable.value)).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
