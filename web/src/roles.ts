/** The Ariane roles, as `/api/me` returns them (server/auth/roles.py holds the source of truth). */
export const ROLES = [
  'staff',
  'manager',
  'direction',
  'tool_developer',
  'ai_admin',
  'security',
  'auditor',
  'health_data',
] as const;

export type Role = (typeof ROLES)[number];
