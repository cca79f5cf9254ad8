/** The trace waterfall: each span's depth, offset and width relative to the whole run. */
import type { Span } from './api';

export interface WaterfallRow {
  span: Span;
  depth: number;
  /** Start and length as fractions (0–1) of the run's duration. */
  offset: number;
  width: number;
  durationMs: number;
  /** The policy decision (`allowed`, `refused`) a gateway span carries, if any. */
  decision: string | null;
}

/** Spans in start order, children after their parent; a span whose parent is absent is a root. */
export function waterfall(spans: readonly Span[]): WaterfallRow[] {
  if (spans.length === 0) return [];
  const start = Math.min(...spans.map((span) => span.start_ns));
  const end = Math.max(...spans.map((span) => span.end_ns));
  const total = Math.max(end - start, 1);
  const ids = new Set(spans.map((span) => span.span_id));
  const children = new Map<string | null, Span[]>();
  for (const span of spans) {
    const parent = span.parent_span_id && ids.has(span.parent_span_id) ? span.parent_span_id : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const rows: WaterfallRow[] = [];
  const visit = (parent: string | null, depth: number) => {
    const siblings = [...(children.get(parent) ?? [])].sort((a, b) => a.start_ns - b.start_ns);
    for (const span of siblings) {
      const decision = span.attributes['ariane.policy.decision'];
      rows.push({
        span,
        depth,
        offset: (span.start_ns - start) / total,
        width: Math.max((span.end_ns - span.start_ns) / total, 0.002),
        durationMs: (span.end_ns - span.start_ns) / 1e6,
        decision: typeof decision === 'string' ? decision : null,
      });
      visit(span.span_id, depth + 1);
    }
  };
  visit(null, 0);
  return rows;
}

/** What kind of step a span is, for its colour: model, tool, policy, node, other. */
export function spanKind(span: Span): 'model' | 'tool' | 'agent' | 'node' | 'other' {
  const operation = span.attributes['gen_ai.operation.name'];
  if (operation === 'chat' || operation === 'embeddings') return 'model';
  if (operation === 'execute_tool') return 'tool';
  if (operation === 'invoke_agent') return 'agent';
  if (span.name.startsWith('node ') || span.name.startsWith('graph ')) return 'node';
  return 'other';
}
