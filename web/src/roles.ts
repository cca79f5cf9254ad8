/** The Ariane roles, as `/api/me` returns them: the server's `Role` enum (server/auth/roles.py), generated. */
import { type Role, roleValues } from './api/schema';

export type { Role };

export const ROLES: readonly Role[] = roleValues;
