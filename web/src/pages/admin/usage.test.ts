import { describe, expect, it } from 'vitest';
import type { UsageRow } from './api';
import { dailyBars, parisToday, topBars, totals } from './usage';

function row(key: string, tokens: number, requests = 1, refused = 0): UsageRow {
  return {
    key,
    requests,
    refused_or_failed: refused,
    input_tokens: tokens,
    output_tokens: 0,
    cost_eur: tokens / 1000,
    mean_latency_ms: 20,
  };
}

describe('topBars', () => {
  it('keeps the largest groups and sums the rest as one bar', () => {
    const rows = [row('DRH', 10), row('DTNIB', 50), row('', 5), row('Direction', 30), row('Pôle médecine', 20)];
    expect(topBars(rows, 3, 'Autres', '(non renseigné)')).toEqual([
      { label: 'DTNIB', value: 50 },
      { label: 'Direction', value: 30 },
      { label: 'Autres', value: 35 },
    ]);
  });

  it('names the empty group and keeps every bar when there are few', () => {
    expect(topBars([row('', 5), row('DRH', 5)], 8, 'Autres', '(non renseigné)')).toEqual([
      { label: '(non renseigné)', value: 5 },
      { label: 'DRH', value: 5 },
    ]);
  });
});

describe('dailyBars', () => {
  it('has one bar per day, zero on days without use', () => {
    expect(dailyBars([row('2025-06-18', 7), row('2025-06-20', 3)], 4, '2025-06-20')).toEqual([
      { label: '2025-06-17', value: 0 },
      { label: '2025-06-18', value: 7 },
      { label: '2025-06-19', value: 0 },
      { label: '2025-06-20', value: 3 },
    ]);
  });

  it('crosses month ends', () => {
    expect(dailyBars([], 2, '2025-07-01').map((bar) => bar.label)).toEqual(['2025-06-30', '2025-07-01']);
  });
});

describe('totals', () => {
  it('adds requests, refusals, tokens and cost', () => {
    expect(totals([row('a', 1000, 3, 1), row('b', 2000, 2, 0)])).toEqual({
      requests: 5,
      refused: 1,
      tokens: 3000,
      cost: 3,
    });
  });
});

describe('parisToday', () => {
  it('is the date in Paris, not in UTC', () => {
    expect(parisToday(new Date('2025-06-19T22:30:00Z'))).toBe('2025-06-20');
  });
});
