import { describe, expect, it, vi } from 'vitest';
import { RenewalUnavailable } from '../auth';
import { jsonResponse } from '../test/render';
import { ApiError, type ApiDeps, SignInRequired, apiGet, apiRequest } from './client';

function deps(
  response: Response | Error | ((token: string) => Response),
  token: string | null = 'token-1',
  renewed: string | null | Error = null,
) {
  const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    if (response instanceof Error) throw response;
    if (typeof response === 'function') {
      return response(new Headers(init?.headers).get('Authorization')?.replace('Bearer ', '') ?? '');
    }
    return response;
  });
  const signInAgain = vi.fn(async () => {});
  const renewToken = vi.fn(async (_refused: string) => {
    if (renewed instanceof Error) throw renewed;
    return renewed;
  });
  const value: ApiDeps = {
    fetch: fetch as unknown as typeof globalThis.fetch,
    accessToken: async () => token,
    renewToken,
    signInAgain,
  };
  return { value, fetch, signInAgain, renewToken };
}

const refusedUnless = (good: string) => (token: string) =>
  token === good ? jsonResponse({ ok: true }) : jsonResponse({ error: 'invalid_token', detail: 'Jeton expiré.' }, 401);

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

  it('renews a refused token silently and sends the same request again', async () => {
    const { value, fetch, signInAgain, renewToken } = deps(refusedUnless('token-2'), 'token-1', 'token-2');
    const body = JSON.stringify({ content: 'La question que je tapais' });

    await expect(apiRequest('/api/threads', { method: 'POST', body }, value)).resolves.toEqual({ ok: true });

    expect(renewToken).toHaveBeenCalledExactlyOnceWith('token-1');
    expect(fetch.mock.calls.map(([, init]) => [init?.method, init?.body, new Headers(init?.headers).get('Authorization')])).toEqual([
      ['POST', body, 'Bearer token-1'],
      ['POST', body, 'Bearer token-2'],
    ]);
    expect(signInAgain).not.toHaveBeenCalled();
  });

  it('restarts sign-in on 401 when the session cannot be renewed', async () => {
    const { value, fetch, signInAgain } = deps(refusedUnless('none'), 'token-1', null);
    await expect(apiGet('/api/me', value)).rejects.toBeInstanceOf(SignInRequired);
    expect(signInAgain).toHaveBeenCalledOnce();
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('renews once only: a renewed token refused too restarts sign-in', async () => {
    const { value, fetch, signInAgain, renewToken } = deps(refusedUnless('none'), 'token-1', 'token-2');
    await expect(apiGet('/api/me', value)).rejects.toBeInstanceOf(SignInRequired);
    expect(renewToken).toHaveBeenCalledOnce();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(signInAgain).toHaveBeenCalledOnce();
  });

  it('keeps the page when the identity provider cannot be reached to renew: a network error', async () => {
    const { value, signInAgain } = deps(refusedUnless('none'), 'token-1', new RenewalUnavailable('Failed to fetch'));
    await expect(apiGet('/api/me', value)).rejects.toEqual(new ApiError(0, 'network'));
    expect(signInAgain).not.toHaveBeenCalled();
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
