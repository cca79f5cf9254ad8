/** PKCE (RFC 7636) and the random values an authorization request needs. */

const VERIFIER_BYTES = 32; // 43 base64url characters, the minimum length RFC 7636 allows

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A URL-safe random string, used for the code verifier, `state` and `nonce`. */
export function randomUrlSafe(byteCount = VERIFIER_BYTES): string {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)) without padding. */
export async function s256Challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}
