import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { i18n } from 'i18next';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';

/** Theme and translations, shared by the app and the tests. */
export function Providers({ i18n, children }: { i18n: i18n; children: ReactNode }) {
  return (
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={webLightTheme} style={{ minHeight: '100dvh' }}>
        {children}
      </FluentProvider>
    </I18nextProvider>
  );
}
