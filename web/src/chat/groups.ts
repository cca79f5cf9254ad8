/** The conversation list's date groups, as Teams, Copilot and Open WebUI show them. */
import type { Thread } from './types';

export type DateGroup = 'today' | 'yesterday' | 'week' | 'month' | 'older';

const DAY_MS = 86_400_000;

/** The group of a conversation last active at `iso`, seen on `now` (local calendar days). */
export function dateGroup(iso: string, now: Date): DateGroup {
  const date = new Date(iso);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const at = date.getTime();
  if (at >= startOfToday) return 'today';
  if (at >= startOfToday - DAY_MS) return 'yesterday';
  if (at >= startOfToday - 7 * DAY_MS) return 'week';
  if (at >= startOfToday - 30 * DAY_MS) return 'month';
  return 'older';
}

/** Threads (most recent first) cut into their date groups, in order, empty groups left out. */
export function groupByDate(threads: readonly Thread[], now: Date): { group: DateGroup; threads: Thread[] }[] {
  const groups: { group: DateGroup; threads: Thread[] }[] = [];
  for (const thread of threads) {
    const group = dateGroup(thread.updated_at, now);
    const last = groups.at(-1);
    if (last && last.group === group) last.threads.push(thread);
    else groups.push({ group, threads: [thread] });
  }
  return groups;
}
