/**
 * The robot cards of a stored conversation: the approvals asked from it (under the run that asked)
 * and their jobs (under the run that reported the decision). Live runs get them from their events.
 */
import { useEffect, useState } from 'react';
import { type Approval, listThreadApprovals } from './api';

export interface RunRobots {
  approvals: Approval[];
  jobs: string[];
}

export function useThreadRobots(threadId: string, refresh: unknown, enabled: boolean): Map<string, RunRobots> {
  const [byRun, setByRun] = useState<Map<string, RunRobots>>(new Map());
  useEffect(() => {
    if (!enabled) return undefined;
    let current = true;
    listThreadApprovals(threadId)
      .then((approvals) => {
        if (!current) return;
        const next = new Map<string, RunRobots>();
        const entry = (runId: string) => next.get(runId) ?? next.set(runId, { approvals: [], jobs: [] }).get(runId)!;
        for (const approval of approvals) {
          if (approval.run_id) entry(approval.run_id).approvals.push(approval);
          if (approval.resumed_run_id && approval.job_id) entry(approval.resumed_run_id).jobs.push(approval.job_id);
        }
        setByRun(next);
      })
      .catch(() => undefined); // cards are an extra: the conversation shows without them
    return () => {
      current = false;
    };
  }, [threadId, refresh, enabled]);
  return byRun;
}
