import { forceParsing } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { forEachDiagnostic } from '@codemirror/lint';
import { act, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { YamlEditor } from './YamlEditor';
import type { Problem } from './policyLint';

const DOCUMENT = '# Politique\nrules:\n  - id: everyone\n    models: [mistral]\n';

function viewOf(element: HTMLElement): EditorView {
  const view = EditorView.findFromDOM(element);
  if (!view) throw new Error('no editor');
  return view;
}

function diagnosticsOf(view: EditorView) {
  const found: { line: number; message: string }[] = [];
  forEachDiagnostic(view.state, (diagnostic, from) =>
    found.push({ line: view.state.doc.lineAt(from).number, message: diagnostic.message }),
  );
  return found;
}

function Controlled({ onChange, problems = [], readOnly = false }: { onChange?: (v: string) => void; problems?: Problem[]; readOnly?: boolean }) {
  const [value, setValue] = useState(DOCUMENT);
  return (
    <>
      <YamlEditor
        value={value}
        onChange={(next) => {
          setValue(next);
          onChange?.(next);
        }}
        label="Document YAML"
        problems={problems}
        readOnly={readOnly}
      />
      <output aria-label="brouillon">{value}</output>
    </>
  );
}

describe('YamlEditor', () => {
  it('shows the document with line numbers and YAML highlighting, under its accessible name', () => {
    renderWithProviders(<Controlled />);
    const content = screen.getByRole('textbox', { name: 'Document YAML' });
    expect(content.getAttribute('contenteditable')).toBe('true');
    expect(content.textContent).toContain('models: [mistral]');
    // The parser works within a time budget, the rest later: on a busy machine, finish it now.
    const view = viewOf(content);
    act(() => {
      forceParsing(view, view.state.doc.length, 10_000);
    });
    expect(content.querySelector('.yaml-key')?.textContent).toBe('rules');
    expect(content.querySelector('.yaml-comment')?.textContent).toBe('# Politique');
    expect([...content.querySelectorAll('.yaml-value')].map((node) => node.textContent)).toContain('mistral');
    const gutter = document.querySelector('.cm-lineNumbers');
    expect(gutter?.textContent).toContain('4');
  });

  it('reports an edit as the new draft', () => {
    const onChange = vi.fn();
    renderWithProviders(<Controlled onChange={onChange} />);
    const view = viewOf(screen.getByRole('textbox', { name: 'Document YAML' }));
    act(() => view.dispatch({ changes: { from: view.state.doc.length, insert: '  - id: nobody\n' } }));
    expect(onChange).toHaveBeenLastCalledWith(`${DOCUMENT}  - id: nobody\n`);
    expect(screen.getByLabelText('brouillon').textContent).toBe(`${DOCUMENT}  - id: nobody\n`);
  });

  it('shows problems as diagnostics at their line', () => {
    const from = DOCUMENT.indexOf('mistral');
    renderWithProviders(<Controlled problems={[{ from, to: from + 7, line: 4, message: 'modèle inconnu' }]} />);
    const view = viewOf(screen.getByRole('textbox', { name: 'Document YAML' }));
    expect(diagnosticsOf(view)).toEqual([{ line: 4, message: 'modèle inconnu' }]);
    expect(document.querySelector('.cm-lintRange-error')?.textContent).toBe('mistral');
  });

  it('cannot be edited when read-only', () => {
    renderWithProviders(<Controlled readOnly />);
    const content = screen.getByRole('textbox', { name: 'Document YAML' });
    expect(content.getAttribute('contenteditable')).toBe('false');
    expect(content.getAttribute('aria-readonly')).toBe('true');
    expect(viewOf(content).state.readOnly).toBe(true);
  });
});
