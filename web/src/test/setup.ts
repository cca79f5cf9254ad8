import { webcrypto } from 'node:crypto';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// The auth code hashes with crypto.subtle; provide Node's WebCrypto if this jsdom lacks it.
if (!globalThis.crypto?.subtle) {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
}

// jsdom lays nothing out: CodeMirror (the policy editor) measures text ranges, give them empty boxes.
if (typeof Range !== 'undefined' && !Range.prototype.getClientRects) {
  const empty = { x: 0, y: 0, width: 0, height: 0, top: 0, right: 0, bottom: 0, left: 0, toJSON: () => ({}) };
  Range.prototype.getBoundingClientRect = () => empty as DOMRect;
  Range.prototype.getClientRects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
}

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});
