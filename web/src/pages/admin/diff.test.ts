import { describe, expect, it } from 'vitest';
import { diffStats, parseDiff } from './diff';

const DIFF = `--- en vigueur
+++ proposée
@@ -1,3 +1,3 @@
 rules:
-  - id: a
+  - id: b
`;

describe('parseDiff', () => {
  it('classifies each line of a unified diff', () => {
    expect(parseDiff(DIFF)).toEqual([
      { kind: 'header', text: '--- en vigueur' },
      { kind: 'header', text: '+++ proposée' },
      { kind: 'hunk', text: '@@ -1,3 +1,3 @@' },
      { kind: 'context', text: ' rules:' },
      { kind: 'remove', text: '-  - id: a' },
      { kind: 'add', text: '+  - id: b' },
    ]);
  });

  it('counts added and removed lines, not the file headers', () => {
    expect(diffStats(parseDiff(DIFF))).toEqual({ added: 1, removed: 1 });
    expect(parseDiff('')).toEqual([]);
  });
});
