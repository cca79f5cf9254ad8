/** Tests: a signed-in user in the shared user store, as oidc-client-ts leaves it after a sign-in. */
import { User } from 'oidc-client-ts';
import { SharedUserStore } from '../auth/userStore';

export const TEST_ISSUER = 'http://127.0.0.1:8001/tenant-1/v2.0';

export function storeSignedInUser(
  accessToken: string,
  expiresInSeconds = 3600,
  extra: { refresh_token?: string; issuer?: string } = {},
): void {
  const user = new User({
    access_token: accessToken,
    token_type: 'Bearer',
    refresh_token: extra.refresh_token,
    scope: 'api://ariane/access_as_user',
    profile: { sub: 'u-test', iss: extra.issuer ?? TEST_ISSUER, aud: 'ariane-web', exp: 0, iat: 0 },
    expires_at: Math.floor(Date.now() / 1000) + expiresInSeconds,
  });
  void new SharedUserStore().set(`user:${extra.issuer ?? TEST_ISSUER}:ariane-web`, user.toStorageString());
}
