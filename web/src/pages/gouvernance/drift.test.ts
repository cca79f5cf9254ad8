import { describe, expect, it } from 'vitest';
import type { EvaluationPoint } from './api';
import { suiteCharts } from './drift';

function point(at: string, suite: string, scores: Record<string, number>, extra: Partial<EvaluationPoint> = {}): EvaluationPoint {
  return {
    run_id: `${suite}-${at}`,
    suite,
    split: 'test',
    reason: 'scheduled',
    change: {},
    status: 'done',
    cases: 12,
    scores,
    floors: Object.fromEntries(Object.keys(scores).map((key) => [key, 0.7])),
    error: null,
    at,
    ...extra,
  };
}

describe('suiteCharts', () => {
  it('puts the runs of each suite in time order, one line per score, failed runs as gaps', () => {
    const charts = suiteCharts([
      point('2026-12-02T02:00:00Z', 'working_time', { fact_coverage: 0.6, citation_support: 0.9 }),
      point('2026-12-01T02:00:00Z', 'working_time', { fact_coverage: 0.9 }),
      point('2026-12-03T02:00:00Z', 'working_time', {}, { status: 'failed', error: 'délai dépassé' }),
      point('2026-12-01T02:00:00Z', 'meetings', { fact_coverage: 0.8 }, { split: '' }),
      point('2026-12-01T03:00:00Z', '*', {}, { status: 'failed', split: '' }),
    ]);

    expect(charts.map((chart) => chart.suite)).toEqual(['working_time/test', 'meetings']);
    const [working] = charts;
    expect(working?.runs.map((run) => run.at)).toEqual(['2026-12-01T02:00:00Z', '2026-12-02T02:00:00Z', '2026-12-03T02:00:00Z']);
    expect(working?.series).toEqual([
      { scorer: 'citation_support', floor: 0.7, values: [null, 0.9, null] },
      { scorer: 'fact_coverage', floor: 0.7, values: [0.9, 0.6, null] },
    ]);
  });
});
