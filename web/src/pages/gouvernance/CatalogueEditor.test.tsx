import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSignedInUser } from '../../test/signedInUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { CatalogueEditor, domainsOf } from './CatalogueEditor';
import type { AiService, Catalogue } from './api';

const CHATGPT: AiService = {
  id: 'chatgpt',
  name: 'ChatGPT',
  provider: 'OpenAI',
  kind: 'assistant_conversationnel',
  country: 'US',
  domains: ['chatgpt.com', 'chat.openai.com'],
};
const CATALOGUE: Catalogue = { version: 0, document: '', author: null, services: 1, entries: [CHATGPT] };
const REFUSED = {
  error: 'invalid_catalogue',
  detail: 'Catalogue invalide : services.1.country : format attendu : code de pays ISO à deux lettres majuscules (FR, US…)',
};

function render(canEdit: boolean, refuseFirstSave = false) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ method, url: String(input), body: init?.body ? JSON.parse(String(init.body)) : null });
      if (method === 'PUT' && refuseFirstSave && calls.filter((call) => call.method === 'PUT').length === 1) {
        return jsonResponse(REFUSED, 400);
      }
      return jsonResponse(method === 'GET' ? CATALOGUE : { ...CATALOGUE, version: 1 });
    }),
  );
  renderWithProviders(<CatalogueEditor canEdit={canEdit} />);
  return calls;
}

describe('CatalogueEditor', () => {
  beforeEach(() => {
    storeSignedInUser('token-thomas', 3600);
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    );
  });

  it('lists the services and their domains, without editing for a reader', async () => {
    render(false);
    const table = await screen.findByRole('table', { name: "Catalogue des services d'IA" });
    expect(within(table).getByText('chatgpt.com, chat.openai.com')).toBeTruthy();
    expect(within(table).getByText('Assistant conversationnel')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Ajouter un service' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retirer « ChatGPT »' })).toBeNull();
  });

  it("adds a service, showing the server's French refusal first", async () => {
    const user = userEvent.setup();
    const calls = render(true, true);
    await user.click(await screen.findByRole('button', { name: 'Ajouter un service' }));
    const form = screen.getByRole('form', { name: 'Service du catalogue' });
    await user.type(within(form).getByRole('textbox', { name: /Identifiant/ }), 'chatbot-maison');
    await user.type(within(form).getByRole('textbox', { name: /^Nom$/ }), 'Chatbot maison');
    await user.type(within(form).getByRole('textbox', { name: /Fournisseur/ }), 'Exemple');
    await user.type(within(form).getByRole('textbox', { name: /Pays/ }), 'fr');
    await user.type(within(form).getByRole('textbox', { name: /Noms de domaine/ }), 'chatbot.example.org, bot.example.org');
    await user.click(within(form).getByRole('button', { name: 'Enregistrer le service' }));
    expect(await screen.findByText(/code de pays ISO à deux lettres/)).toBeTruthy();

    await user.click(within(form).getByRole('button', { name: 'Enregistrer le service' }));
    expect(await screen.findByText('Catalogue enregistré (version 1).')).toBeTruthy();
    const puts = calls.filter((call) => call.method === 'PUT');
    expect(puts.map((call) => call.url)).toEqual(Array(2).fill('/api/governance/shadow/catalogue/services/chatbot-maison'));
    expect(puts[1]!.body).toEqual({
      name: 'Chatbot maison',
      provider: 'Exemple',
      kind: 'assistant_conversationnel',
      country: 'FR',
      domains: ['chatbot.example.org', 'bot.example.org'],
    });
  });

  it('removes a service only once confirmed', async () => {
    const user = userEvent.setup();
    const calls = render(true);
    await user.click(await screen.findByRole('button', { name: 'Retirer « ChatGPT »' }));
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Confirmer le retrait de « ChatGPT »' }));
    await screen.findByText('Catalogue enregistré (version 1).');
    expect(calls.filter((call) => call.method === 'DELETE').map((call) => call.url)).toEqual(['/api/governance/shadow/catalogue/services/chatgpt']);
  });

  it('reads domains one per line or separated by commas', () => {
    expect(domainsOf(' a.example.org,b.example.org\n\nc.example.org ; ')).toEqual(['a.example.org', 'b.example.org', 'c.example.org']);
  });
});
