import { webcrypto } from 'node:crypto';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// The auth code hashes with crypto.subtle; provide Node's WebCrypto if this jsdom lacks it.
if (!globalThis.crypto?.subtle) {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
}

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});
