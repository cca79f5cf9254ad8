import { createContext, useContext } from 'react';
import type { Me } from '../api/me';

export const CurrentUserContext = createContext<Me | null>(null);

/** The signed-in user; only components inside RequireUser may call this. */
export function useCurrentUser(): Me {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser() used outside <RequireUser>');
  return user;
}
