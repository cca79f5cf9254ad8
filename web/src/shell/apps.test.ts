import { describe, expect, it } from 'vitest';
import type { Role } from '../roles';
import { visibleApps } from './apps';

const ids = (roles: Role[]) => visibleApps(roles).map((app) => app.id);

describe('visibleApps', () => {
  it.each<[string, Role[], string[]]>([
    ['staff', ['staff'], ['chat', 'assistants', 'activite', 'courriers']],
    ['manager', ['staff', 'manager'], ['chat', 'assistants', 'activite', 'courriers']],
    ['tool developer', ['staff', 'tool_developer'], ['chat', 'assistants', 'activite', 'courriers', 'outils']],
    ['AI admin', ['staff', 'ai_admin'], ['chat', 'assistants', 'activite', 'courriers', 'outils', 'gouvernance', 'administration']],
    ['security officer', ['staff', 'security'], ['chat', 'assistants', 'activite', 'courriers', 'audit', 'gouvernance']],
    ['auditor without staff role', ['auditor'], ['chat', 'assistants', 'activite', 'audit', 'gouvernance']],
    ['director', ['staff', 'direction'], ['chat', 'assistants', 'activite', 'courriers', 'gouvernance']],
    ['user with no role', [], ['chat', 'assistants', 'activite']],
    ['medical secretary', ['staff', 'health_data'], ['chat', 'assistants', 'activite', 'courrier', 'courriers']],
  ])('shows a %s exactly their apps', (_who, roles, expected) => {
    expect(ids(roles)).toEqual(expected);
  });
});
