import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { completeSignIn } from '../auth';
import { StatusScreen } from '../components/StatusScreen';
import { SignInErrorScreen } from './SignInErrorScreen';

/** `/auth/callback`: the identity provider sends the browser back here with a code (or an error). */
export function AuthCallbackPage() {
  const { t } = useTranslation();
  const { search } = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    completeSignIn(new URL(`/auth/callback${search}`, window.location.origin).toString()).then(
      (returnTo) => current && navigate(returnTo, { replace: true }),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [search, navigate]);

  if (error) return <SignInErrorScreen error={error} />;
  return <StatusScreen busyLabel={t('status.signingIn')} />;
}
