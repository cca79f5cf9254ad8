/**
 * Tests only: a fake OpenID Connect provider answering the browser's requests (discovery, token,
 * revocation) as the local provider does — PKCE checked, refresh tokens rotated, a replayed one
 * revoking the session — and `/auth/config` for the server. Install with `vi.stubGlobal('fetch', …)`.
 */
import type { AuthConfig } from '../auth/config';

export const ISSUER = 'http://127.0.0.1:8001/tenant-1/v2.0';
export const ORIGIN = 'http://127.0.0.1:8000';
export const CONFIG: AuthConfig = {
  issuer: ISSUER,
  client_id: 'ariane-web',
  scope: 'openid profile email offline_access api://ariane/access_as_user',
  redirect_path: '/auth/callback',
};
export const METADATA = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/oauth2/authorize`,
  token_endpoint: `${ISSUER}/oauth2/token`,
  revocation_endpoint: `${ISSUER}/oauth2/revoke`,
  jwks_uri: `${ISSUER}/keys`,
};

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** An unsigned JWT: the browser only reads claims, the API verifies signatures. */
export function unsignedJwt(claims: object): string {
  const part = (value: object) => base64Url(new TextEncoder().encode(JSON.stringify(value)));
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
}

async function s256(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export class FakeIdentityProvider {
  /** Authorization requests the browser was sent to, in order. */
  readonly authorizations: URL[] = [];
  readonly tokenRequests: URLSearchParams[] = [];
  readonly revoked: string[] = [];
  /** What the next code redemption answers instead of tokens (a refusal, a wrong nonce). */
  nextCodeAnswer: ((form: URLSearchParams) => Response) | null = null;
  /** Refresh requests fail as the network would. */
  unreachable = false;
  /**
   * Refresh requests are answered once this settles (never: a provider that hangs), unless the
   * caller aborts them first.
   */
  refreshesHeldUntil: Promise<void> | null = null;
  configAvailable = true;
  private issued = 0;
  private current: string | null = null;
  private retired = new Set<string>();
  private sessionRevoked = false;

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    if (url === '/auth/config') return this.configAvailable ? json(CONFIG) : json({}, 503);
    if (url === `${ISSUER}/.well-known/openid-configuration`) return json(METADATA);
    if (url === METADATA.token_endpoint && init.method === 'POST') {
      if (this.unreachable) throw new TypeError('Failed to fetch');
      const form = new URLSearchParams(String(init.body));
      this.tokenRequests.push(form);
      if (form.get('grant_type') !== 'refresh_token') return this.redeem(form);
      if (this.refreshesHeldUntil) await Promise.race([this.refreshesHeldUntil, aborted(init.signal)]);
      return this.refresh(form);
    }
    if (url === METADATA.revocation_endpoint && init.method === 'POST') {
      const form = new URLSearchParams(String(init.body));
      this.revoked.push(form.get('token') ?? '');
      if (form.get('token') === this.current) this.sessionRevoked = true;
      return new Response(null, { status: 200 });
    }
    return json({ error: 'not_found' }, 404);
  };

  /** The callback URL the provider sends the browser back to for its last authorization request. */
  callbackFor(extra: Record<string, string> = {}): string {
    const request = this.authorizations.at(-1);
    if (!request) throw new Error('no authorization request');
    const callback = new URL(request.searchParams.get('redirect_uri') ?? '');
    callback.searchParams.set('code', 'code-1');
    callback.searchParams.set('state', request.searchParams.get('state') ?? '');
    for (const [name, value] of Object.entries(extra)) callback.searchParams.set(name, value);
    return callback.toString();
  }

  get refreshCount(): number {
    return this.tokenRequests.filter((form) => form.get('grant_type') === 'refresh_token').length;
  }

  private tokens(nonce?: string): Record<string, unknown> {
    this.issued += 1;
    this.current = `refresh-${this.issued}`;
    return {
      token_type: 'Bearer',
      scope: 'api://ariane/access_as_user',
      expires_in: 3600,
      access_token: `access-${this.issued}`,
      id_token: unsignedJwt({ iss: ISSUER, sub: 'u-claire', aud: 'ariane-web', exp: 0, iat: 0, nonce }),
      refresh_token: this.current,
    };
  }

  private async redeem(form: URLSearchParams): Promise<Response> {
    if (this.nextCodeAnswer) return this.nextCodeAnswer(form);
    const request = this.authorizations.at(-1);
    const verifier = form.get('code_verifier') ?? '';
    if (!request || (await s256(verifier)) !== request.searchParams.get('code_challenge')) {
      return json({ error: 'invalid_grant', error_description: 'PKCE verification failed.' }, 400);
    }
    return json(this.tokens(request.searchParams.get('nonce') ?? undefined));
  }

  private refresh(form: URLSearchParams): Response {
    const token = form.get('refresh_token') ?? '';
    if (this.retired.has(token)) this.sessionRevoked = true;
    if (this.sessionRevoked || token !== this.current) {
      return json({ error: 'invalid_grant', error_description: 'The refresh token is unknown or revoked.' }, 400);
    }
    this.retired.add(token);
    return json(this.tokens());
  }
}

/** Fails, as fetch does, when the request's signal aborts it. */
function aborted(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
  });
}
