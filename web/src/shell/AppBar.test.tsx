import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/render';
import { AppBar } from './AppBar';

function appBarLinks() {
  const nav = screen.getByRole('navigation');
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.getAttribute('aria-label'));
}

describe('AppBar', () => {
  it('shows a staff member only the apps for everyone', () => {
    renderWithProviders(<AppBar roles={['staff']} />, { path: '/chat' });
    expect(appBarLinks()).toEqual(['Chat', 'Assistants', 'Activité', 'Courriers']);
  });

  it('shows an AI admin the tools and administration apps', () => {
    renderWithProviders(<AppBar roles={['staff', 'ai_admin']} />, { path: '/chat' });
    expect(appBarLinks()).toEqual(['Chat', 'Assistants', 'Activité', 'Courriers', 'Outils', 'Gouvernance', 'Administration']);
  });

  it('shows an auditor the audit app', () => {
    renderWithProviders(<AppBar roles={['auditor']} />, { path: '/chat' });
    expect(appBarLinks()).toEqual(['Chat', 'Assistants', 'Activité', 'Audit', 'Gouvernance']);
  });

  it('marks the active app with aria-current', () => {
    renderWithProviders(<AppBar roles={['staff']} />, { path: '/activite' });
    expect(screen.getByRole('link', { name: 'Activité' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Chat' }).getAttribute('aria-current')).toBeNull();
  });

  it('keeps Chat highlighted on a transcript opened from a citation, without calling it the current page', () => {
    renderWithProviders(<AppBar roles={['staff']} />, { path: '/reunions/evt-ag-dtnib-2025-06-19' });
    const chat = screen.getByRole('link', { name: 'Chat' });
    const activite = screen.getByRole('link', { name: 'Activité' });
    expect(chat.getAttribute('aria-current')).toBeNull();
    expect(chat.className).not.toBe(activite.className);
  });

  it('speaks English when asked', () => {
    renderWithProviders(<AppBar roles={['staff']} />, { path: '/chat', language: 'en' });
    expect(appBarLinks()).toEqual(['Chat', 'Assistants', 'Activity', 'Letters']);
  });
});
