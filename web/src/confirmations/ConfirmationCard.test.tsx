import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { renderWithProviders } from '../test/render';
import { ConfirmationCard } from './ConfirmationCard';
import type { Confirmation } from './api';

const HELD: Confirmation = {
  id: 'c-1',
  run_id: 'r-1',
  thread_id: 't-1',
  server: 'badges',
  tool: 'disable_badge',
  title: 'badges/disable_badge',
  description: "Désactive un badge d'accès à partir de son numéro.",
  arguments: { badge: '42', motif: 'x'.repeat(300) },
  digest: 'sha256:abc',
  status: 'pending',
  created_at: '2026-11-29T10:00:00Z',
  decided_at: null,
  result_run_id: null,
};

describe('the card of a held tool call', () => {
  it('shows what will run, and once confirmed the buttons give way to the decision', async () => {
    const onDecide = vi.fn(async () => ({ ...HELD, status: 'confirmed' as const, result_run_id: 'r-2' }));
    renderWithProviders(<ConfirmationCard confirmation={HELD} onDecide={onDecide} />);

    expect(screen.getByText('Action à confirmer')).toBeTruthy();
    expect(screen.getByText(/L'outil « badges\/disable_badge »/)).toBeTruthy();
    const table = screen.getByRole('table', { name: "Paramètres de l'appel" });
    expect(table.textContent).toContain('badge42');
    expect(table.textContent).toContain(`motif${'x'.repeat(119)}…`); // long values are cut for reading
    await userEvent.click(screen.getByRole('button', { name: 'Confirmer' }));

    expect(onDecide).toHaveBeenCalledExactlyOnceWith(true);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Confirmer' })).toBeNull());
    expect(screen.queryByRole('button', { name: 'Annuler' })).toBeNull();
    expect(screen.getByText('Confirmée')).toBeTruthy();
    expect(screen.getByTestId('confirmation-decided').textContent).toBe('Vous avez confirmé cette action : son résultat suit.');
  });

  it('declines with « Annuler »', async () => {
    const onDecide = vi.fn(async () => ({ ...HELD, status: 'declined' as const }));
    renderWithProviders(<ConfirmationCard confirmation={HELD} onDecide={onDecide} />);

    await userEvent.click(screen.getByRole('button', { name: 'Annuler' }));

    expect(onDecide).toHaveBeenCalledExactlyOnceWith(false);
    await waitFor(() => expect(screen.getByTestId('confirmation-card').dataset.status).toBe('declined'));
    expect(screen.getByTestId('confirmation-decided').textContent).toBe('Vous avez annulé cette action : rien n\'a été exécuté.');
  });

  it("shows the server's reason when the decision is refused, and keeps the buttons", async () => {
    const detail = "L'outil « badges/disable_badge » a changé depuis votre demande : l'action n'est pas exécutée.";
    const onDecide = vi.fn(async () => {
      throw new ApiError(409, 'tool_changed', detail);
    });
    renderWithProviders(<ConfirmationCard confirmation={HELD} onDecide={onDecide} />);

    await userEvent.click(screen.getByRole('button', { name: 'Confirmer' }));

    expect(await screen.findByText(detail)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Confirmer' })).toBeTruthy();
  });

  it('has no buttons once decided, nor while a run is going', () => {
    const { unmount } = renderWithProviders(
      <ConfirmationCard confirmation={{ ...HELD, status: 'declined' }} onDecide={vi.fn()} />,
    );
    expect(screen.queryByRole('button')).toBeNull();
    unmount();

    renderWithProviders(<ConfirmationCard confirmation={HELD} onDecide={vi.fn()} disabled />);
    expect(screen.getByRole('button', { name: 'Confirmer' }).hasAttribute('disabled')).toBe(true);
  });

  it('speaks English when asked', () => {
    renderWithProviders(<ConfirmationCard confirmation={HELD} onDecide={vi.fn()} />, { language: 'en' });

    expect(screen.getByRole('button', { name: 'Confirm' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    expect(screen.getByText('Action to confirm')).toBeTruthy();
  });
});
