import { dateGroup, groupByDate } from './groups';
import type { Thread } from './types';

const NOW = new Date(2026, 11, 4, 15, 30); // Friday 4 December 2026, 15:30 local time

function thread(id: string, updated: Date): Thread {
  const iso = updated.toISOString();
  return { id, title: id, assistant_id: null, created_at: iso, updated_at: iso };
}

test('conversations fall in local calendar-day groups', () => {
  expect(
    [
      new Date(2026, 11, 4, 0, 5),
      new Date(2026, 11, 3, 23, 59),
      new Date(2026, 11, 3, 0, 0),
      new Date(2026, 11, 2, 23, 0),
      new Date(2026, 10, 27, 8, 0),
      new Date(2026, 10, 26, 8, 0),
      new Date(2026, 10, 4, 8, 0),
      new Date(2026, 10, 3, 8, 0),
    ].map((date) => dateGroup(date.toISOString(), NOW)),
  ).toEqual(['today', 'yesterday', 'yesterday', 'week', 'week', 'month', 'month', 'older']);
});

test('groups keep the order of the list and leave empty ones out', () => {
  const threads = [
    thread('a', new Date(2026, 11, 4, 9)),
    thread('b', new Date(2026, 11, 4, 8)),
    thread('c', new Date(2026, 10, 20)),
    thread('d', new Date(2025, 0, 1)),
  ];
  expect(groupByDate(threads, NOW).map(({ group, threads: items }) => [group, items.map((t) => t.id)])).toEqual([
    ['today', ['a', 'b']],
    ['month', ['c']],
    ['older', ['d']],
  ]);
});
