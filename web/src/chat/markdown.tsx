/**
 * Assistant answers in Markdown (CommonMark with GitHub's tables, strikethrough and autolinks; a
 * newline is a line break, as in chat apps), on react-markdown: rendered to React elements, never to an
 * HTML string. What an answer may not do: raw HTML stays visible text, images show their description
 * only, and a link is clickable only to this site's paths or to a host the server allows
 * (`/auth/config`'s `link_hosts`) — an answer repeats what documents and tools said, and an injected
 * document must not get a clickable link to anywhere; any other link is shown as text with its address.
 * Citation markers `[1]` / `[^1]` are rendered by the caller (`renderFootnote`).
 */
import { Children, type ReactNode, useMemo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import type { Html, PhrasingContent, Root, Text } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';

/** Render the marker of citation `index`, or return null to leave `[index]` as plain text. */
export type RenderFootnote = (index: number, key: string) => ReactNode | null;

const MARKER = /\[\^?(\d{1,3})\]/g;
const CITATION_TAG = 'answer-citation';

/** Raw HTML becomes text (shown, never interpreted); `[n]` markers become citation elements. */
function remarkAnswer() {
  return (tree: Root) => {
    visit(tree, 'html', (node: Html) => {
      (node as unknown as Text).type = 'text';
    });
    visit(tree, 'text', (node: Text, index, parent) => {
      const markers = [...node.value.matchAll(MARKER)];
      if (parent === undefined || index === undefined || markers.length === 0) return;
      const parts: PhrasingContent[] = [];
      let last = 0;
      for (const match of markers) {
        const at = match.index ?? 0;
        if (at > last) parts.push({ type: 'text', value: node.value.slice(last, at) });
        parts.push(citation(match[0], Number(match[1])));
        last = at + match[0].length;
      }
      if (last < node.value.length) parts.push({ type: 'text', value: node.value.slice(last) });
      parent.children.splice(index, 1, ...parts);
      return [SKIP, index + parts.length];
    });
  };
}

function citation(raw: string, index: number): PhrasingContent {
  // A text that mdast-util-to-hast wraps in an element of our own (`data.hName`), for `components`.
  return { type: 'text', value: raw, data: { hName: CITATION_TAG, hProperties: { dataIndex: String(index) } } } as Text;
}

const PLUGINS = [remarkGfm, remarkBreaks, remarkAnswer];

export function Markdown({ text, renderFootnote }: { text: string; renderFootnote?: RenderFootnote }) {
  const components = useMemo(() => answerComponents(renderFootnote ?? (() => null)), [renderFootnote]);
  // react-markdown's own URL filter (no `javascript:`, `data:`…) runs first; then `AnswerLink`
  // decides which of the remaining addresses are clickable.
  return (
    <ReactMarkdown remarkPlugins={PLUGINS} components={components}>
      {text}
    </ReactMarkdown>
  );
}

function answerComponents(renderFootnote: RenderFootnote): Components {
  // The page has its own h1/h2: answer headings start one level below.
  const heading = (Tag: 'h3' | 'h4' | 'h5' | 'h6') =>
    function Heading({ children }: { children?: ReactNode }) {
      return <Tag>{children}</Tag>;
    };
  return {
    h1: heading('h3'),
    h2: heading('h4'),
    h3: heading('h5'),
    h4: heading('h6'),
    h5: heading('h6'),
    h6: heading('h6'),
    a: ({ href, children }) => <AnswerLink url={href ?? ''}>{children}</AnswerLink>,
    img: ({ alt }) => <>{alt ?? ''}</>,
    [CITATION_TAG]: ({ node, children }: { node?: { properties?: Record<string, unknown> }; children?: ReactNode }) => {
      const index = Number(node?.properties?.dataIndex);
      const marker = renderFootnote(index, `citation-${index}`);
      return marker ?? <>{children}</>;
    },
  } as Components;
}

function AnswerLink({ url, children }: { url: string; children: ReactNode }) {
  const href = answerHref(url);
  if (href === null) {
    const label = Children.toArray(children);
    const sameAsAddress = label.length === 1 && label[0] === url;
    return (
      <>
        {children}
        {sameAsAddress ? '' : shownAddress(url)}
      </>
    );
  }
  const external = /^(https?:)?\/\//i.test(href);
  return (
    <a href={href} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
      {children}
    </a>
  );
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
