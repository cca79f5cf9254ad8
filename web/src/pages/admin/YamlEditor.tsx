/** A YAML code editor (CodeMirror 6) in the app's Fluent colours: controlled, with its problems shown inline. */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';
import { Annotation, Compartment, EditorState } from '@codemirror/state';
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tokens } from '@fluentui/react-components';
import { tagHighlighter, tags } from '@lezer/highlight';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useThemeChoice } from '../../theme/theme';
import type { Problem } from './policyLint';

export interface YamlEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** The accessible name of the editable area. */
  label: string;
  readOnly?: boolean;
  /** Shown as error diagnostics (underline, gutter marker, tooltip); positions are in `value`. */
  problems?: readonly Problem[];
}

/** Marks the transactions that bring `value` in, so that they are not reported back as edits. */
const fromProps = Annotation.define<boolean>();

/** Stable class names for YAML tokens, coloured by the theme below (and visible to tests). */
const yamlClasses = tagHighlighter([
  { tag: tags.definition(tags.propertyName), class: 'yaml-key' },
  { tag: tags.string, class: 'yaml-string' },
  { tag: tags.content, class: 'yaml-value' },
  { tag: tags.lineComment, class: 'yaml-comment' },
  { tag: [tags.separator, tags.punctuation, tags.squareBracket, tags.brace], class: 'yaml-punctuation' },
  { tag: tags.labelName, class: 'yaml-anchor' },
  { tag: [tags.typeName, tags.keyword, tags.meta], class: 'yaml-meta' },
]);

/** Fluent's tokens are CSS variables set by the FluentProvider: the same rules follow light and dark. */
function fluentTheme(dark: boolean) {
  return EditorView.theme(
    {
      '&': {
        color: tokens.colorNeutralForeground1,
        backgroundColor: tokens.colorNeutralBackground1,
        border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
        borderRadius: tokens.borderRadiusMedium,
        fontSize: tokens.fontSizeBase200,
        height: '480px',
        resize: 'vertical',
        overflow: 'hidden',
      },
      '&.cm-focused': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
      '.cm-scroller': { fontFamily: tokens.fontFamilyMonospace, lineHeight: tokens.lineHeightBase300 },
      '.cm-content': { caretColor: tokens.colorNeutralForeground1 },
      '.cm-cursor, .cm-dropCursor': { borderLeftColor: tokens.colorNeutralForeground1 },
      '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': {
        backgroundColor: tokens.colorBrandBackground2,
      },
      '.cm-gutters': {
        backgroundColor: tokens.colorNeutralBackground2,
        color: tokens.colorNeutralForeground3,
        borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
      },
      '.cm-activeLine': { backgroundColor: tokens.colorSubtleBackgroundHover },
      '.cm-activeLineGutter': { backgroundColor: tokens.colorNeutralBackground3, color: tokens.colorNeutralForeground1 },
      '.cm-tooltip': {
        backgroundColor: tokens.colorNeutralBackground1,
        color: tokens.colorNeutralForeground1,
        border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
        borderRadius: tokens.borderRadiusMedium,
        boxShadow: tokens.shadow8,
      },
      '.cm-diagnostic': { fontFamily: tokens.fontFamilyBase },
      '.cm-diagnostic-error': { borderLeftColor: tokens.colorPaletteRedBorder2 },
      '&.cm-editor[contenteditable=false], .cm-content[contenteditable=false]': { cursor: 'default' },
      '.yaml-key': { color: tokens.colorBrandForeground1 },
      '.yaml-string': { color: tokens.colorPaletteGreenForeground1 },
      '.yaml-value': { color: tokens.colorNeutralForeground1 },
      '.yaml-comment': { color: tokens.colorNeutralForeground3, fontStyle: 'italic' },
      '.yaml-punctuation': { color: tokens.colorNeutralForeground3 },
      '.yaml-anchor': { color: tokens.colorPaletteBerryForeground1 },
      '.yaml-meta': { color: tokens.colorPaletteDarkOrangeForeground1 },
    },
    { dark },
  );
}

function editable(readOnly: boolean) {
  return [
    EditorState.readOnly.of(readOnly),
    EditorView.editable.of(!readOnly),
    EditorView.contentAttributes.of({ 'aria-readonly': String(readOnly) }),
  ];
}

export function YamlEditor({ value, onChange, label, readOnly = false, problems = [] }: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const { theme } = useThemeChoice();
  const settings = useRef({ readOnly: new Compartment(), theme: new Compartment(), label: new Compartment() });
  // The latest props, for the editor created once and for its change listener.
  const latest = useRef({ value, onChange, label, readOnly, dark: theme === 'dark' });
  useLayoutEffect(() => {
    latest.current = { value, onChange, label, readOnly, dark: theme === 'dark' };
  });

  useEffect(() => {
    const initial = latest.current;
    const compartments = settings.current;
    const created = new EditorView({
      parent: host.current as HTMLDivElement,
      state: EditorState.create({
        doc: initial.value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          history(),
          indentOnInput(),
          bracketMatching(),
          yaml(),
          syntaxHighlighting(yamlClasses),
          lintGutter(),
          // Tab is left to move the focus out of the editor (no indentWithTab): keyboard users are not trapped.
          keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap]),
          EditorState.tabSize.of(2),
          compartments.label.of(EditorView.contentAttributes.of({ 'aria-label': initial.label })),
          compartments.readOnly.of(editable(initial.readOnly)),
          compartments.theme.of(fluentTheme(initial.dark)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((tr) => tr.annotation(fromProps))) {
              latest.current.onChange(update.state.doc.toString());
            }
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const current = view.current;
    if (!current || current.state.doc.toString() === value) return;
    current.dispatch({
      changes: { from: 0, to: current.state.doc.length, insert: value },
      annotations: fromProps.of(true),
    });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: settings.current.readOnly.reconfigure(editable(readOnly)) });
  }, [readOnly]);

  useEffect(() => {
    const attributes = EditorView.contentAttributes.of({ 'aria-label': label });
    view.current?.dispatch({ effects: settings.current.label.reconfigure(attributes) });
  }, [label]);

  useEffect(() => {
    view.current?.dispatch({ effects: settings.current.theme.reconfigure(fluentTheme(theme === 'dark')) });
  }, [theme]);

  useEffect(() => {
    const current = view.current;
    if (!current) return;
    const length = current.state.doc.length;
    const diagnostics = problems.map((problem) => ({
      from: Math.min(problem.from, length),
      to: Math.min(problem.to, length),
      severity: 'error' as const,
      message: problem.message,
    }));
    current.dispatch(setDiagnostics(current.state, diagnostics));
  }, [problems]);

  return <div ref={host} />;
}
