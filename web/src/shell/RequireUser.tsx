import { Button } from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SignInRequired } from '../api/client';
import { type Me, getMe } from '../api/me';
import { SignInError, fetchAuthConfig, startSilentRenewal } from '../auth';
import { ErrorMessageBar } from '../components/ErrorMessageBar';
import { StatusScreen } from '../components/StatusScreen';
import { SignInErrorScreen } from '../pages/SignInErrorScreen';
import { CurrentUserContext } from './CurrentUser';

type ProfileState =
  | { kind: 'loading' }
  /** The browser is on its way to the identity provider. */
  | { kind: 'signing-in' }
  | { kind: 'ready'; user: Me }
  | { kind: 'failed'; error: unknown };

/** Render `children` for a signed-in user only; anyone else is sent to sign in first. */
export function RequireUser({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  // While the app is open the token is renewed before it expires (the API client also renews a
  // refused one): an expired token no longer sends the user to the sign-in page.
  useEffect(() => startSilentRenewal(), []);
  const me = useQuery({ queryKey: ['me'], queryFn: () => getMe(), staleTime: Infinity });
  // The public configuration sets which answer links are clickable and where citations open; it is
  // read at sign-in, and again here when a tab starts with a kept token. Without it: the defaults.
  const config = useQuery({ queryKey: ['auth-config'], queryFn: () => fetchAuthConfig(), staleTime: Infinity });
  const state: ProfileState = me.isSuccess && !config.isPending
    ? { kind: 'ready', user: me.data }
    : me.isError && !me.isFetching
      ? me.error instanceof SignInRequired
        ? { kind: 'signing-in' }
        : { kind: 'failed', error: me.error }
      : { kind: 'loading' };

  switch (state.kind) {
    case 'loading':
      return <StatusScreen busyLabel={t('status.loadingProfile')} />;
    case 'signing-in':
      return <StatusScreen busyLabel={t('status.signingIn')} />;
    case 'failed':
      if (state.error instanceof SignInError) return <SignInErrorScreen error={state.error} />;
      return (
        <StatusScreen title={t('profileError.title')}>
          <ErrorMessageBar error={state.error} />
          <Button appearance="primary" onClick={() => void me.refetch()}>
            {t('profileError.retry')}
          </Button>
        </StatusScreen>
      );
    case 'ready':
      return <CurrentUserContext.Provider value={state.user}>{children}</CurrentUserContext.Provider>;
  }
}
