import { describe, expect, it } from 'vitest';
import type { Role } from '../roles';
import { visibleApps } from './apps';

const ids = (roles: Role[]) => visibleApps(roles).map((app) => app.id);

describe('visibleApps', () => {
  it.each<[string, Role[], string[]]>([
    ['staff', ['staff'], ['chat', 'assistants', 'activite']],
    ['manager', ['staff', 'manager'], ['chat', 'assistants', 'activite']],
    ['tool developer', ['staff', 'tool_developer'], ['chat', 'assistants', 'activite', 'outils']],
    ['AI admin', ['staff', 'ai_admin'], ['chat', 'assistants', 'activite', 'outils', 'administration']],
    ['security officer', ['staff', 'security'], ['chat', 'assistants', 'activite', 'audit']],
    ['auditor without staff role', ['auditor'], ['chat', 'assistants', 'activite', 'audit']],
    ['user with no role', [], ['chat', 'assistants', 'activite']],
    ['medical secretary', ['staff', 'health_data'], ['chat', 'assistants', 'activite', 'courrier']],
  ])('shows a %s exactly their apps', (_who, roles, expected) => {
    expect(ids(roles)).toEqual(expected);
  });
});
