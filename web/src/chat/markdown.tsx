/**
 * A safe Markdown subset for assistant answers, rendered to React elements: never to an HTML string,
 * so no markup in an answer can reach the page as markup. Paragraphs (a newline is a line break, as
 * in chat apps), headings, ordered and bulleted lists (nested by indentation), quotes, code, simple
 * tables, rules; inline code, bold, italics, strikethrough, links and footnote markers `[1]` / `[^1]`,
 * which the caller renders. A link is clickable only to this site's paths or to a host the server
 * allows (`/auth/config`'s `link_hosts`): an answer repeats what documents and tools said, and an
 * injected document must not get a clickable link to anywhere. Any other link is shown as text.
 */
import { Fragment, type ReactNode } from 'react';

/** Render the marker of citation `index`, or return null to leave `[index]` as plain text. */
export type RenderFootnote = (index: number, key: string) => ReactNode | null;

type Block =
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'rule' };

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_DIVIDER = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

export function Markdown({ text, renderFootnote }: { text: string; renderFootnote?: RenderFootnote }) {
  const blocks = parseBlocks(text.replace(/\r\n?/g, '\n').split('\n'));
  return <>{renderBlocks(blocks, renderFootnote ?? (() => null), 'b')}</>;
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] as string;
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] as string).trimStart().startsWith(marker)) body.push(lines[i++] as string);
      i += 1; // the closing fence (an unclosed fence runs to the end, as while streaming)
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: (heading[1] as string).length, text: heading[2] as string });
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ kind: 'rule' });
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      for (let m = QUOTE.exec(lines[i] ?? ''); m && i < lines.length; m = QUOTE.exec(lines[i] ?? '')) {
        body.push(m[1] as string);
        i += 1;
      }
      blocks.push({ kind: 'quote', blocks: parseBlocks(body) });
      continue;
    }
    if (ITEM.test(line)) {
      i = parseList(lines, i, blocks);
      continue;
    }
    if (line.includes('|') && TABLE_DIVIDER.test(lines[i + 1] ?? '') && (lines[i + 1] as string).includes('-')) {
      const header = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && (lines[i] as string).includes('|') && (lines[i] as string).trim() !== '') {
        rows.push(cells(lines[i++] as string));
      }
      blocks.push({ kind: 'table', header, rows });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '' && (paragraph.length === 0 || !startsBlock(lines[i] as string))) {
      paragraph.push((lines[i++] as string).trim());
    }
    blocks.push({ kind: 'paragraph', lines: paragraph });
  }
  return blocks;
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

/** Read one list from line `start`; push it and return the index of the first line after it. */
function parseList(lines: string[], start: number, blocks: Block[]): number {
  const first = ITEM.exec(lines[start] as string) as RegExpExecArray;
  const ordered = /\d/.test(first[2] as string);
  // Items further right than this are nested lists, read as part of the current item.
  const base = (first[1] as string).length + 1;
  const items: string[][] = [];
  let i = start;
  let indent = 0; // where the current item's content starts
  while (i < lines.length) {
    const line = lines[i] as string;
    const item = ITEM.exec(line);
    if (item && (item[1] as string).length <= base) {
      if (/\d/.test(item[2] as string) !== ordered) break;
      indent = (item[1] as string).length + (item[2] as string).length + 1;
      items.push([item[3] as string]);
      i += 1;
      continue;
    }
    const current = items.at(-1) as string[];
    if (line.trim() === '') {
      // A blank line ends the list unless the next line continues this item or starts another.
      const next = lines[i + 1] ?? '';
      const nextItem = ITEM.exec(next);
      const continues = leadingSpaces(next) >= Math.min(indent, 2) && next.trim() !== '';
      if (!continues && !(nextItem && /\d/.test(nextItem[2] as string) === ordered)) break;
      current.push('');
      i += 1;
      continue;
    }
    if (leadingSpaces(line) >= Math.min(indent, 2)) {
      current.push(line.slice(Math.min(leadingSpaces(line), indent)));
      i += 1;
      continue;
    }
    if (lines[i - 1]?.trim() !== '' && !startsBlock(line)) {
      current.push(line); // a lazy continuation of the item's paragraph
      i += 1;
      continue;
    }
    break;
  }
  const startNumber = ordered ? Number.parseInt(first[2] as string, 10) : 1;
  blocks.push({ kind: 'list', ordered, start: startNumber, items: items.map((body) => parseBlocks(body)) });
  return i;
}

function leadingSpaces(line: string): number {
  return line.length - line.trimStart().length;
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

function renderBlocks(blocks: Block[], footnote: RenderFootnote, key: string): ReactNode[] {
  return blocks.map((block, n) => renderBlock(block, footnote, `${key}.${n}`));
}

function renderBlock(block: Block, footnote: RenderFootnote, key: string): ReactNode {
  switch (block.kind) {
    case 'paragraph':
      return <p key={key}>{renderLines(block.lines, footnote, key)}</p>;
    case 'heading': {
      // The page has its own h1/h2: answer headings start one level below.
      const Tag = `h${Math.min(block.level + 2, 6)}` as 'h3';
      return <Tag key={key}>{renderInline(block.text, footnote, key)}</Tag>;
    }
    case 'code':
      return (
        <pre key={key}>
          <code>{block.text}</code>
        </pre>
      );
    case 'list': {
      const items = block.items.map((item, n) => {
        const only = item.length === 1 ? item[0] : undefined;
        return (
          <li key={n}>
            {only?.kind === 'paragraph'
              ? renderLines(only.lines, footnote, `${key}.${n}`)
              : renderBlocks(item, footnote, `${key}.${n}`)}
          </li>
        );
      });
      return block.ordered ? (
        <ol key={key} start={block.start === 1 ? undefined : block.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'quote':
      return <blockquote key={key}>{renderBlocks(block.blocks, footnote, key)}</blockquote>;
    case 'table':
      return (
        <table key={key}>
          <thead>
            <tr>
              {block.header.map((cell, n) => (
                <th key={n}>{renderInline(cell, footnote, `${key}.h${n}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, n) => (
                  <td key={n}>{renderInline(cell, footnote, `${key}.${r}.${n}`)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'rule':
      return <hr key={key} />;
  }
}

function renderLines(lines: string[], footnote: RenderFootnote, key: string): ReactNode[] {
  return lines.map((line, n) => (
    <Fragment key={n}>
      {n > 0 && <br />}
      {renderInline(line, footnote, `${key}.${n}`)}
    </Fragment>
  ));
}

const FOOTNOTE = /^\[\^?(\d{1,3})\]/;
const LINK = /^\[([^\]\n]*)\]\(\s*<?([^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)>?(?:\s+"[^"]*")?\s*\)/;
const AUTOLINK = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i;
const ESCAPABLE = /[\\`*_{}[\]()#+\-.!|~<>]/;

/** Inline Markdown of one line; text stays text (React escapes it). */
export function renderInline(text: string, footnote: RenderFootnote, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(plain);
    plain = '';
  };
  const push = (node: ReactNode) => {
    flush();
    out.push(node);
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const char = text[i] as string;
    const k = `${key}.${i}`;
    if (char === '\\' && ESCAPABLE.test(text[i + 1] ?? '')) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (char === '`') {
      const ticks = /^`+/.exec(rest)?.[0] as string;
      const close = text.indexOf(ticks, i + ticks.length);
      if (close > 0) {
        push(<code key={k}>{text.slice(i + ticks.length, close).trim()}</code>);
        i = close + ticks.length;
        continue;
      }
    }
    const strong = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest);
    if (strong) {
      push(<strong key={k}>{renderInline(strong[2] as string, footnote, k)}</strong>);
      i += strong[0].length;
      continue;
    }
    const strike = /^~~(?=\S)([\s\S]*?\S)~~/.exec(rest);
    if (strike) {
      push(<del key={k}>{renderInline(strike[1] as string, footnote, k)}</del>);
      i += strike[0].length;
      continue;
    }
    const emphasis = /^\*(?=[^\s*])([^*]*?[^\s*])\*/.exec(rest) ?? (isWordChar(text[i - 1]) ? null : /^_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}])/u.exec(rest));
    if (emphasis) {
      push(<em key={k}>{renderInline(emphasis[1] as string, footnote, k)}</em>);
      i += emphasis[0].length;
      continue;
    }
    if (char === '[') {
      const marker = FOOTNOTE.exec(rest);
      if (marker) {
        const node = footnote(Number(marker[1]), k);
        if (node !== null && node !== undefined) push(node);
        else plain += marker[0];
        i += marker[0].length;
        continue;
      }
      const link = LINK.exec(rest);
      if (link) {
        const label = renderInline(link[1] as string, footnote, k);
        const href = answerHref(link[2] as string);
        if (href) push(<ExternalLink key={k} href={href}>{label}</ExternalLink>);
        else push(<Fragment key={k}>{label}{shownAddress(link[2] as string)}</Fragment>);
        i += link[0].length;
        continue;
      }
    }
    const autolink = char === '<' ? AUTOLINK.exec(rest) : null;
    if (autolink) {
      const href = answerHref(autolink[1] as string);
      push(
        href ? (
          <ExternalLink key={k} href={href}>
            {autolink[1]}
          </ExternalLink>
        ) : (
          <Fragment key={k}>{autolink[1]}</Fragment>
        ),
      );
      i += autolink[0].length;
      continue;
    }
    plain += char;
    i += 1;
  }
  flush();
  return out;
}

function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  const external = /^(https?:)?\/\//i.test(href);
  return (
    <a href={href} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
      {children}
    </a>
  );
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

let answerLinkHosts: string[] = [];

/** The hosts whose links in answers are clickable (`example.fr`, or `.example.fr` for its subdomains). */
export function configureAnswerLinks(hosts: string[]): void {
  answerLinkHosts = hosts.map((host) => host.trim().toLowerCase()).filter(Boolean);
}

/** A link of an answer: a path of this site, or a web or mail address on an allowed host; else null. */
export function answerHref(url: string | null | undefined): string | null {
  const href = safeHref(url);
  if (href === null || /^\/(?!\/)/.test(href) || href.startsWith('#')) return href;
  let host: string;
  try {
    const parsed = new URL(href);
    host = parsed.protocol === 'mailto:' ? (parsed.pathname.split('@').at(-1) ?? '') : parsed.hostname;
  } catch {
    return null;
  }
  host = host.toLowerCase();
  const allowed = answerLinkHosts.some((rule) =>
    rule.startsWith('.') ? host.endsWith(rule) && host.length > rule.length : host === rule,
  );
  return allowed ? href : null;
}

/** How a link that is not clickable shows its address: beside its label, as text. */
function shownAddress(url: string): string {
  const href = safeHref(url);
  return href && !href.startsWith('/') && !href.startsWith('#') ? ` (${url.trim()})` : '';
}

/** The link target if it is web, mail or a path of this site; null for `javascript:`, `data:` and the like. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  if (/^\/(?!\/)/.test(trimmed) || trimmed.startsWith('#')) return trimmed;
  if (/^(https?:\/\/|mailto:)/i.test(trimmed)) {
    try {
      return new URL(trimmed).href;
    } catch {
      return null;
    }
  }
  return null;
}
