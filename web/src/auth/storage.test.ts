import { describe, expect, it } from 'vitest';
import {
  EXPIRY_MARGIN_MS,
  clearSession,
  readAccessToken,
  savePendingSignIn,
  saveToken,
  takePendingSignIn,
} from './storage';

const NOW = 1_750_000_000_000;

describe('token storage', () => {
  it('returns the token while it is valid', () => {
    saveToken('abc', 3600, NOW);
    expect(readAccessToken(NOW + 3600_000 - EXPIRY_MARGIN_MS - 1)).toBe('abc');
  });

  it('forgets a token that expires within the safety margin', () => {
    saveToken('abc', 3600, NOW);
    expect(readAccessToken(NOW + 3600_000 - EXPIRY_MARGIN_MS)).toBeNull();
    // Gone for good, not only hidden:
    expect(readAccessToken(NOW)).toBeNull();
  });

  it('ignores a value it did not write', () => {
    localStorage.setItem('ariane.auth.token', 'not json');
    expect(readAccessToken(NOW)).toBeNull();
    localStorage.setItem('ariane.auth.token', JSON.stringify({ accessToken: 'x' }));
    expect(readAccessToken(NOW)).toBeNull();
  });

  it('hands a pending sign-in out once', () => {
    const pending = {
      state: 's',
      nonce: 'n',
      codeVerifier: 'v',
      returnTo: '/audit',
      tokenEndpoint: 'http://idp/token',
      clientId: 'ariane-web',
      redirectUri: 'http://app/auth/callback',
    };
    savePendingSignIn(pending);
    expect(takePendingSignIn()).toEqual(pending);
    expect(takePendingSignIn()).toBeNull();
  });

  it('clears the whole session on sign-out', () => {
    saveToken('abc', 3600, NOW);
    clearSession();
    expect(readAccessToken(NOW)).toBeNull();
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.getItem('ariane.auth.token')).toBeNull();
  });
});
