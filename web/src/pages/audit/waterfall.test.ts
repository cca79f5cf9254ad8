import { describe, expect, it } from 'vitest';
import type { Span } from './api';
import { spanKind, waterfall } from './waterfall';

function span(id: string, parent: string | null, start: number, end: number, attributes = {}): Span {
  return {
    name: id,
    kind: 'internal',
    trace_id: 't',
    span_id: id,
    parent_span_id: parent,
    start_ns: start,
    end_ns: end,
    status: { code: 'unset', description: null },
    attributes,
  };
}

describe('waterfall', () => {
  it('orders spans under their parent with their depth and share of the run', () => {
    const rows = waterfall([
      span('tool', 'node', 30, 50, { 'gen_ai.operation.name': 'execute_tool' }),
      span('run', null, 0, 100),
      span('node', 'run', 20, 80),
      span('gateway', 'run', 10, 15, { 'ariane.policy.decision': 'allowed' }),
    ]);
    expect(rows.map((row) => [row.span.span_id, row.depth, row.offset, row.width])).toEqual([
      ['run', 0, 0, 1],
      ['gateway', 1, 0.1, 0.05],
      ['node', 1, 0.2, 0.6],
      ['tool', 2, 0.3, 0.2],
    ]);
    expect(rows[1]?.decision).toBe('allowed');
    expect(rows[3] && spanKind(rows[3].span)).toBe('tool');
  });

  it('treats a span whose parent is missing as a root', () => {
    expect(waterfall([span('orphan', 'gone', 0, 10)]).map((row) => row.depth)).toEqual([0]);
  });
});
