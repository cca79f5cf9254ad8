import { type ApiDeps, apiGet } from './client';
import type { UserOut } from './schema';
import type { Sent } from './sent';

/** The signed-in user, as `GET /api/me` describes them. */
export type Me = Sent<UserOut>;

export function getMe(deps?: ApiDeps): Promise<Me> {
  return apiGet<Me>('/api/me', deps);
}
