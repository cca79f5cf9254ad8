import { Button, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SignInError, redirectToSignIn } from '../auth';
import { StatusScreen } from '../components/StatusScreen';
import { HOME_PATH } from '../shell/apps';

/** Why the sign-in failed, in French, with the provider's own words underneath and a way to retry. */
export function SignInErrorScreen({ error: initialError }: { error: unknown }) {
  const { t } = useTranslation();
  const [error, setError] = useState(initialError);
  const [retrying, setRetrying] = useState(false);
  const failure = error instanceof SignInError ? error : new SignInError('exchange_failed', String(error));

  const retry = () => {
    setRetrying(true);
    redirectToSignIn(failure.returnTo ?? HOME_PATH).catch((next: unknown) => {
      setError(next);
      setRetrying(false);
    });
  };

  return (
    <StatusScreen title={t('signInError.title')}>
      <Text as="p">{t(`signInError.reasons.${failure.reason}`)}</Text>
      {failure.description && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{t('signInError.detail', { detail: failure.description })}</MessageBarBody>
        </MessageBar>
      )}
      <Button appearance="primary" onClick={retry} disabled={retrying}>
        {t('signInError.retry')}
      </Button>
    </StatusScreen>
  );
}
