import { forEachDiagnostic } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/me';
import { storeSignedInUser } from '../../test/signedInUser';
import { CurrentUserContext } from '../../shell/CurrentUser';
import { jsonResponse, renderWithProviders } from '../../test/render';
import { AdminPage } from './AdminPage';
import type { Catalogue, Policy } from './api';

const THOMAS: Me = {
  id: 'u1',
  email: 'thomas.roux@chru-exemple.fr',
  display_name: 'Thomas Roux',
  job_title: 'Coordinateur IA',
  service: 'DTNIB',
  job_category: 'Ingénierie',
  roles: ['staff', 'ai_admin'],
};

const CATALOGUE: Catalogue = {
  policy_version: 0,
  models: [
    {
      id: 'mistral-small-hds',
      label: 'Mistral Small (HDS)',
      kind: 'chat',
      provider: 'hds_vllm',
      upstream_name: 'mistral-small',
      hosting: 'hds',
      data_classes: ['public', 'internal', 'personal', 'health'],
      aliases: [],
      fallbacks: [],
      capabilities: { tools: true, streaming: true, json_schema: true, context_tokens: 32768, dimensions: null },
      prices: { input_per_million: 0.05, output_per_million: 0.15 },
      configured: false,
    },
  ],
};

const POLICY: Policy = {
  version: 0,
  source: 'file',
  document: 'rules: []\n',
  author_email: null,
  created_at: null,
  comment: '',
  error: null,
};

/** Replace the editor's document as typing would (CodeMirror reads the DOM jsdom cannot lay out). */
function typeDocument(editor: HTMLElement, text: string) {
  const view = EditorView.findFromDOM(editor);
  if (!view) throw new Error('no editor');
  act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: 'input.type' }));
  return view;
}

function diagnosticsOf(view: EditorView) {
  const found: [number, string][] = [];
  forEachDiagnostic(view.state, (diagnostic, from) => found.push([view.state.doc.lineAt(from).number, diagnostic.message]));
  return found;
}

function render(user: Me) {
  return renderWithProviders(
    <CurrentUserContext.Provider value={user}>
      <AdminPage />
    </CurrentUserContext.Provider>,
    { path: '/administration' },
  );
}

// Generous: these tests type through Fluent components, slow on a busy machine.
describe('AdminPage', { timeout: 20_000 }, () => {
  beforeEach(() => storeSignedInUser('token-thomas', 3600));

  it('is not shown to someone without the ai_admin role', () => {
    vi.stubGlobal('fetch', vi.fn());
    render({ ...THOMAS, roles: ['staff'] });
    expect(screen.getByText('Accès non autorisé')).toBeTruthy();
  });

  it('shows the catalogue with hosting, data classes and configuration', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(CATALOGUE)));
    render(THOMAS);
    const table = await screen.findByRole('table', { name: 'Catalogue des modèles' });
    const cells = within(table).getAllByRole('cell').map((cell) => cell.textContent);
    expect(cells).toContain('Hébergeur certifié HDS');
    expect(cells).toContain('publiques, internes, personnelles, santé');
    expect(cells.some((cell) => cell?.startsWith('Non configuré'))).toBe(true);
    // Not configured says how: the setting that gives the provider its address.
    expect(within(table).getByText(/À configurer : ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL/)).toBeTruthy();
  });

  it('validates an edit, shows the errors, then the diff, and saves that draft', async () => {
    const calls: { url: string; body: unknown }[] = [];
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      calls.push({ url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (url.endsWith('/catalogue')) return jsonResponse(CATALOGUE);
      if (url.endsWith('/policy') && init?.method === 'PUT') {
        return jsonResponse({ version: 1, comment: 'ok', diff: '', author_email: THOMAS.email, created_at: 'now' });
      }
      if (url.endsWith('/policy')) return jsonResponse(POLICY);
      const draft = (calls.at(-1)?.body as { document: string }).document;
      return draft.includes('oops')
        ? jsonResponse({
            valid: false,
            errors: ['rules: Input should be a valid list'],
            issues: [{ path: ['rules'], message: 'Input should be a valid list', line: null }],
            diff: '',
          })
        : jsonResponse({ valid: true, errors: [], diff: '--- a\n+++ b\n-rules: []\n+rules: [x]\n' });
    });
    vi.stubGlobal('fetch', fetch);
    const user = userEvent.setup();
    render(THOMAS);
    await user.click(screen.getByRole('tab', { name: "Politique d'usage" }));
    const editor = await screen.findByRole('textbox', { name: 'Document YAML de la politique' });
    expect(editor.textContent).toBe('rules: []');
    const validations = () => calls.filter((call) => call.url.endsWith('/validate')).length;

    const view = typeDocument(editor, 'schema_version: 1\nrules: oops\n');
    await user.click(screen.getByRole('button', { name: 'Vérifier les modifications' }));
    expect(await screen.findByText('rules: Input should be a valid list')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Enregistrer et appliquer' })).toBeNull();
    // The server's error is also in the editor, at the line of `rules`.
    expect(diagnosticsOf(view)).toEqual([[2, 'rules : Input should be a valid list']]);

    // A YAML syntax error is shown at once, in French, and is not sent to the server.
    typeDocument(editor, 'rules: [x');
    // (the server's verdict went with its draft)
    expect(diagnosticsOf(view)).toEqual([[1, 'Ligne 1 : indentation incorrecte ou crochet, accolade non fermé.']]);
    expect(screen.getByText(/^Le document n'est pas du YAML valide/)).toBeTruthy();
    expect(screen.getByText('Ligne 1 : indentation incorrecte ou crochet, accolade non fermé.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Vérifier les modifications' }).hasAttribute('disabled')).toBe(true);
    expect(validations()).toBe(1);

    typeDocument(editor, 'rules: [x]');
    await user.click(screen.getByRole('button', { name: 'Vérifier les modifications' }));
    expect(await screen.findByText('+rules: [x]')).toBeTruthy();
    expect(diagnosticsOf(view)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Enregistrer et appliquer' }));
    const saved = calls.find((call) => call.body && 'base_version' in (call.body as object));
    expect(saved?.body).toEqual({ document: 'rules: [x]', comment: '', base_version: 0 });
  });
});
