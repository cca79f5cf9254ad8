/** Turning the usage aggregates into what the charts draw. */
import type { UsageRow } from './api';

export interface Bar {
  label: string;
  value: number;
}

export const tokensOf = (row: UsageRow) => row.input_tokens + row.output_tokens;

/** The `limit` largest groups by tokens, the rest summed as one bar named `othersLabel`. */
export function topBars(rows: UsageRow[], limit: number, othersLabel: string, emptyLabel: string): Bar[] {
  const bars = rows
    .map((row) => ({ label: row.key || emptyLabel, value: tokensOf(row) }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  if (bars.length <= limit) return bars;
  const rest = bars.slice(limit - 1).reduce((sum, bar) => sum + bar.value, 0);
  return [...bars.slice(0, limit - 1), { label: othersLabel, value: rest }];
}

/** One bar per day of the last `days` days ending `today` (YYYY-MM-DD), zero where nothing happened. */
export function dailyBars(rows: UsageRow[], days: number, today: string): Bar[] {
  const byDay = new Map(rows.map((row) => [row.key, tokensOf(row)]));
  const end = new Date(`${today}T00:00:00Z`);
  return Array.from({ length: days }, (_, index) => {
    const day = new Date(end);
    day.setUTCDate(end.getUTCDate() - (days - 1 - index));
    const label = day.toISOString().slice(0, 10);
    return { label, value: byDay.get(label) ?? 0 };
  });
}

export interface Totals {
  requests: number;
  refused: number;
  tokens: number;
  cost: number;
}

export function totals(rows: UsageRow[]): Totals {
  return rows.reduce<Totals>(
    (sum, row) => ({
      requests: sum.requests + row.requests,
      refused: sum.refused + row.refused_or_failed,
      tokens: sum.tokens + tokensOf(row),
      cost: sum.cost + row.cost_eur,
    }),
    { requests: 0, refused: 0, tokens: 0, cost: 0 },
  );
}

/** Today in Europe/Paris as YYYY-MM-DD (the server's quota and usage day). */
export function parisToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
}
