"""The robots' background work: jobs run by a worker, and the sweep of approvals and decisions."""

from __future__ import annotations

from typing import Any

from server.robots.jobs import JobExecutor, interrupt_job
from server.robots.queueing import ROBOT_JOB, enqueue_job
from server.robots.service import RobotsService
from server.work import PeriodicTask, WorkItem, WorkKind, WorkRegistry
from tools.database import Pool


def job_kind(pool: Pool, executor: JobExecutor) -> WorkKind:
    """Running an approved job. Never re-run after its worker died: a robot may have acted already.

    A UiPath job that was started is followed again instead (following it twice does no harm).
    """

    async def run(item: WorkItem) -> dict[str, Any]:
        job_id = item.payload["job_id"]
        try:
            status = await executor.run(job_id, resume=bool(item.payload.get("follow")))
        except Exception:
            await interrupt_job(pool, job_id)  # never left `running` by an attempt that is not retried
            raise
        return {"status": status}

    async def interrupted(item: WorkItem) -> None:
        job_id = item.payload["job_id"]
        if await interrupt_job(pool, job_id):
            await enqueue_job(pool, job_id, follow_after=item.id)

    return WorkKind(ROBOT_JOB, run, rerun_safe=False, interrupted=interrupted)


def register_job_runner(registry: WorkRegistry, pool: Pool, executor: JobExecutor) -> None:
    """This process runs robot jobs (`ariane worker`, `ariane up`)."""
    registry.add_kind(job_kind(pool, executor))


def register_sweep(registry: WorkRegistry, service: RobotsService, every_seconds: float) -> None:
    """This process sweeps approvals and reports decisions (it hosts chat runs: `serve`, `up`)."""
    registry.add_periodic(PeriodicTask("robots.sweep", every_seconds, service.sweep_round))
