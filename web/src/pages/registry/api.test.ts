import { describe, expect, it } from 'vitest';
import { parseEnv } from './api';

describe('parseEnv', () => {
  it('reads KEY=value lines, keeping = signs in values and skipping blank lines', () => {
    expect(parseEnv('TZ=Europe/Paris\n\n  TOKEN=a=b  \n')).toEqual({ TZ: 'Europe/Paris', TOKEN: 'a=b' });
  });

  it('refuses a line without a key', () => {
    expect(() => parseEnv('=value')).toThrow('=value');
    expect(() => parseEnv('NOVALUE')).toThrow('NOVALUE');
  });
});
