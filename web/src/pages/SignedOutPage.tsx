import { Button, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { redirectToSignIn } from '../auth';
import { StatusScreen } from '../components/StatusScreen';
import { HOME_PATH } from '../shell/apps';
import { SignInErrorScreen } from './SignInErrorScreen';

export const SIGNED_OUT_PATH = '/deconnecte';

/** Where sign-out lands; a page of its own so that reloading it does not sign the user back in. */
export function SignedOutPage() {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  if (error) return <SignInErrorScreen error={error} />;
  return (
    <StatusScreen title={t('signedOut.title')}>
      <Text as="p">{t('signedOut.body')}</Text>
      <Button appearance="primary" onClick={() => redirectToSignIn(HOME_PATH).catch(setError)}>
        {t('signedOut.signInAgain')}
      </Button>
    </StatusScreen>
  );
}
