import { render } from '@testing-library/react';
import type { QueryClient } from '@tanstack/react-query';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { Providers } from '../Providers';
import { type Language, createI18n } from '../i18n';

/**
 * Render with the app's providers, a router at `path`, and real translations. `history` lists the
 * pages visited before `path`, for a « back » to return to. `queryClient`, when given, lets a test
 * refresh a cached query as the app's own timers would.
 */
export function renderWithProviders(
  ui: ReactElement,
  {
    path = '/',
    language = 'fr' as Language,
    history = [] as readonly string[],
    queryClient = undefined as QueryClient | undefined,
  } = {},
) {
  const i18n = createI18n(language);
  return {
    i18n,
    ...render(
      <Providers i18n={i18n} queryClient={queryClient}>
        <MemoryRouter initialEntries={[...history, path]} initialIndex={history.length}>{ui}</MemoryRouter>
      </Providers>,
    ),
  };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}
