/** The policy's problems as editor diagnostics: YAML syntax checked here, validation issues from the server. */
import type { TFunction } from 'i18next';
import { type Node, LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { PolicyIssue } from './api';

/** A problem at a place of the document (offsets into its text, 1-based line), its message in the user's language. */
export interface Problem {
  from: number;
  to: number;
  line: number;
  message: string;
}

type Translate = TFunction;

/** YAML error codes (the `yaml` package's) that have a message of their own; the others get a generic one. */
const YAML_CODES = [
  'BAD_INDENT',
  'BAD_DQ_ESCAPE',
  'BLOCK_AS_IMPLICIT_KEY',
  'DUPLICATE_KEY',
  'MISSING_CHAR',
  'MULTILINE_IMPLICIT_KEY',
  'MULTIPLE_DOCS',
  'TAB_AS_INDENT',
  'UNEXPECTED_TOKEN',
] as const;
type KnownCode = (typeof YAML_CODES)[number];
const isKnown = (code: string): code is KnownCode => (YAML_CODES as readonly string[]).includes(code);

/** Syntax errors of the draft, found without calling the server. */
export function syntaxProblems(text: string, t: Translate): Problem[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  return document.errors.map((error) => {
    const [from, to] = clamp(text, error.pos[0], error.pos[1]);
    const line = lines.linePos(from).line;
    const code: string = error.code;
    const reason = isKnown(code) ? t(`admin.policy.yamlErrors.${code}`) : t('admin.policy.yamlErrors.other');
    return { from, to, line, message: t('admin.policy.syntaxError', { line, reason }) };
  });
}

/** The server's validation issues, each placed at the line its path (or its line) designates. */
export function issueProblems(text: string, issues: PolicyIssue[], t: Translate): Problem[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  return issues.map((issue) => {
    // A path designates its node precisely; a line alone (a YAML syntax error) its whole line.
    const [start, end] =
      issue.path.length > 0 || issue.line == null
        ? locate(document.contents, issue.path)
        : [lineStart(text, issue.line), text.length];
    // The node designated, cut at the end of its first line (a block mapping spans several).
    const [from, stop] = clamp(text, start, end);
    const to = Math.min(stop > from ? stop : text.length, lineEnd(text, from));
    const where = issue.path.length > 0 ? formatPath(issue.path) : null;
    const message = where ? t('admin.policy.issueAt', { path: where, message: issue.message }) : issue.message;
    return { from, to, line: lines.linePos(from).line, message };
  });
}

/** `["rules", 2, "models"]` → `rules[2].models`. */
export function formatPath(path: (string | number)[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/** Where the deepest existing node of the path is (a missing key: its mapping; nothing: the start). */
function locate(root: unknown, path: (string | number)[]): [number, number] {
  let node: unknown = root;
  let found: [number, number] = isNode(root) && root.range ? [root.range[0], root.range[1]] : [0, 0];
  for (const part of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part));
      // A key's value may be empty (`models:`): then point at the key itself.
      next = pair ? (isNode(pair.value) && pair.value.range ? pair.value : pair.key) : undefined;
    } else if (isSeq(node) && typeof part === 'number') {
      next = node.items[part];
    }
    const range = isNode(next) ? (next as Node).range : undefined;
    if (!range) break;
    node = next;
    found = [range[0], range[1]];
  }
  return found;
}

function clamp(text: string, from: number, to: number): [number, number] {
  const start = Math.max(0, Math.min(from, text.length));
  return [start, Math.max(start, Math.min(to, text.length))];
}

function lineStart(text: string, line: number): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return offset;
    offset = next + 1;
  }
  return offset;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}
