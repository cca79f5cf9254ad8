import type { Role } from '../roles';
import { type ApiDeps, apiGet } from './client';

/** The signed-in user, as `GET /api/me` describes them. */
export interface Me {
  id: string;
  email: string;
  display_name: string;
  job_title: string | null;
  service: string | null;
  job_category: string | null;
  roles: Role[];
}

export function getMe(deps?: ApiDeps): Promise<Me> {
  return apiGet<Me>('/api/me', deps);
}
