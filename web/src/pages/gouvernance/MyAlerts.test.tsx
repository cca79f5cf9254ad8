import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/me';
import { storeSignedInUser } from '../../test/signedInUser';
import { CurrentUserContext } from '../../shell/CurrentUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { MyAlerts } from './MyAlerts';
import type { Alert } from './api';

const NADIA: Me = {
  id: 'u3',
  email: 'nadia.benali@chru-exemple.fr',
  display_name: 'Nadia Benali',
  job_title: 'Responsable cellule temps de travail',
  service: 'DRH',
  job_category: 'Administratif',
  roles: ['staff'],
};

const ALERT: Alert = {
  id: 'a1',
  system_id: 'assistant:coach-temps-de-travail',
  system_name: 'Coach Temps de Travail',
  suite: 'working_time/test',
  scorer: 'fact_coverage',
  kind: 'below_floor',
  value: 0.5,
  previous: 0.9,
  floor: 0.7,
  opened_at: '2026-12-05T02:00:00Z',
  closed_at: null,
  mailed: true,
};

function render(user: Me, alerts: Alert[]) {
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return jsonResponse(alerts);
    }),
  );
  renderWithProviders(
    <CurrentUserContext.Provider value={user}>
      <MyAlerts />
    </CurrentUserContext.Provider>,
    { path: '/activite' },
  );
  return urls;
}

describe('MyAlerts (Activité)', () => {
  beforeEach(() => storeSignedInUser('token', 3600));

  it("shows the owner the alert on their system, without a link to a page they cannot open", async () => {
    const urls = render(NADIA, [ALERT]);
    const section = await screen.findByRole('region', { name: 'Alertes de dérive des évaluations' });
    expect(within(section).getByText('Coach Temps de Travail')).toBeTruthy();
    expect(within(section).getByText('fact_coverage (working_time/test) : 0.50 sous le seuil 0.70')).toBeTruthy();
    expect(within(section).queryByRole('link')).toBeNull();
    expect(urls).toEqual(['/api/governance/alerts/mine']);
  });

  it('links an AI administrator to the sheet and its score chart', async () => {
    render({ ...NADIA, roles: ['staff', 'ai_admin'] }, [{ ...ALERT, kind: 'drop', value: 0.75 }]);
    const link = await screen.findByRole('link', { name: 'Voir la fiche et la courbe des scores' });
    expect(link.getAttribute('href')).toBe('/gouvernance/systemes/assistant%3Acoach-temps-de-travail');
    expect(screen.getByText('fact_coverage (working_time/test) : passé de 0.90 à 0.75')).toBeTruthy();
  });

  it('shows nothing without alerts', async () => {
    const urls = render(NADIA, []);
    await vi.waitFor(() => expect(urls).toHaveLength(1));
    expect(screen.queryByRole('region')).toBeNull();
  });
});
