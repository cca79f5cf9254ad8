import { describe, expect, it } from 'vitest';
import { isInAppPath } from './inAppLink';

describe('in-app links', () => {
  it('are paths of this site that the server does not answer itself', () => {
    expect(isInAppPath('/reunions/evt-1?cues=a%2Fb')).toBe(true);
    expect(isInAppPath('/chat/t1')).toBe(true);
    for (const href of ['//evil.example/x', '/\\evil.example', 'https://chru.fr/x', '#source-r1-1', '/api/documents/x.pdf', '/auth/config', '', null, undefined]) {
      expect(isInAppPath(href), String(href)).toBe(false);
    }
  });
});
