import { FluentProvider, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { i18n } from 'i18next';
import { type ReactNode, useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { ThemeChoiceProvider } from './theme/theme';

/**
 * The app's query cache: a page shows what was fetched before at once and fetches it again behind
 * (on mount, on focus). No automatic retry: the server's error is shown as it is, with the page's
 * own retry.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false } } });
}

/** Theme, query cache and translations, shared by the app and the tests. */
export function Providers({ i18n, children, queryClient }: { i18n: i18n; children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <ThemeChoiceProvider>
          {(theme) => (
            <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme} style={{ minHeight: '100dvh' }}>
              {children}
            </FluentProvider>
          )}
        </ThemeChoiceProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
