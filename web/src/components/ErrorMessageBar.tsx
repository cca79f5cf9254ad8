import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** How every failed API call is shown: the server's French `detail` when it sent one. */
export function ErrorMessageBar({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t('errors.title')}</MessageBarTitle>
        {errorText(error, t)}
      </MessageBarBody>
    </MessageBar>
  );
}

function errorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.detail) return error.detail;
    if (error.code === 'network') return t('errors.network');
    return t('errors.unexpected', { code: error.status });
  }
  return t('errors.unexpected', { code: String(error) });
}
