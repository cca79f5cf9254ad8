/** The drift chart's data: evaluation runs grouped by suite, one line per score, oldest first. */
import type { EvaluationPoint } from './api';

export interface Series {
  scorer: string;
  floor: number;
  /** One value per run of the suite (null when that run has no such score, or failed). */
  values: (number | null)[];
}

export interface SuiteChart {
  /** `suite/split` as alerts name it, or the suite alone. */
  suite: string;
  runs: EvaluationPoint[];
  series: Series[];
}

export const suiteKey = (point: EvaluationPoint) => (point.split ? `${point.suite}/${point.split}` : point.suite);

/** Runs grouped by suite (and split), each with its scores as lines; runs that could not be made are kept, empty. */
export function suiteCharts(points: readonly EvaluationPoint[]): SuiteChart[] {
  const bySuite = new Map<string, EvaluationPoint[]>();
  for (const point of [...points].sort((a, b) => a.at.localeCompare(b.at))) {
    if (point.suite === '*') continue; // a failed run of every suite: in the history, not on a line
    const key = suiteKey(point);
    bySuite.set(key, [...(bySuite.get(key) ?? []), point]);
  }
  return [...bySuite.entries()].map(([suite, runs]) => {
    const scorers = [...new Set(runs.flatMap((run) => Object.keys(run.scores)))].sort();
    const series = scorers.map((scorer) => {
      const last = [...runs].reverse().find((run) => scorer in run.floors);
      return {
        scorer,
        floor: last?.floors[scorer] ?? 0,
        values: runs.map((run) => (run.status === 'done' ? (run.scores[scorer] ?? null) : null)),
      };
    });
    return { suite, runs, series };
  });
}

/** A score as people read it: two decimals. */
export const formatScore = (value: number) => value.toFixed(2);
