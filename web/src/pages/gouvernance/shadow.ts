/** The shadow-AI charts' bars: the top entries by requests (the rest summed as « others »), weekly totals. */
import type { Bar } from '../admin/usage';
import type { GroupUse, ServiceUse, WeekUse } from './api';

function top(bars: Bar[], count: number, others: string): Bar[] {
  const sorted = [...bars].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  if (sorted.length <= count) return sorted;
  const rest = sorted.slice(count - 1).reduce((sum, bar) => sum + bar.value, 0);
  return [...sorted.slice(0, count - 1), { label: others, value: rest }];
}

export const serviceBars = (services: readonly ServiceUse[], count: number, others: string): Bar[] =>
  top(
    services.map((service) => ({ label: service.name, value: service.requests })),
    count,
    others,
  );

export const groupBars = (groups: readonly GroupUse[], count: number, others: string): Bar[] =>
  top(
    groups.map((group) => ({ label: group.label, value: group.requests })),
    count,
    others,
  );

/** Requests of every AI service per week, oldest week first (labelled by its Monday). */
export function weeklyBars(weeks: readonly WeekUse[]): Bar[] {
  const totals = new Map<string, number>();
  for (const week of weeks) totals.set(week.week, (totals.get(week.week) ?? 0) + week.requests);
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, value]) => ({ label, value }));
}
