import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { Providers } from '../Providers';
import { type Language, createI18n } from '../i18n';

/**
 * Render with the app's providers, a router at `path`, and real translations. `history` lists the
 * pages visited before `path`, for a « back » to return to.
 */
export function renderWithProviders(
  ui: ReactElement,
  { path = '/', language = 'fr' as Language, history = [] as readonly string[] } = {},
) {
  const i18n = createI18n(language);
  return {
    i18n,
    ...render(
      <Providers i18n={i18n}>
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
