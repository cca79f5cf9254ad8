"""Running approved jobs: claim once, run on the robot's runner, record every transition."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

from opentelemetry import trace

from server.robots import repository
from tools.database import Pool
from tools.robots.catalogue import RobotSpec, RunnerKind, inputs_digest
from tools.robots.runners import (
    JobRequest,
    JobResult,
    LocalRunner,
    Runner,
    RunnerError,
    UiPathRunner,
    stop_orphan,
)

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("ariane.robots")
TERMINAL = {"succeeded", "failed"}


class JobWatch:
    """Wakes whoever follows a job when it changes (in this process; others poll)."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}

    def notify(self, job_id: str) -> None:
        """The job changed."""
        event = self._events.pop(job_id, None)
        if event is not None:
            event.set()

    async def wait(self, job_id: str, timeout: float) -> None:
        """Return at the next change, or after `timeout` seconds (a change may come from elsewhere)."""
        event = self._events.setdefault(job_id, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass


class JobExecutor:
    """The jobs this process runs, as background tasks."""

    def __init__(
        self, pool: Pool, local: LocalRunner, uipath: UiPathRunner, jobs_dir: Path, watch: JobWatch
    ) -> None:
        self._pool = pool
        self._runners: dict[RunnerKind, Runner] = {RunnerKind.LOCAL: local, RunnerKind.UIPATH: uipath}
        self._jobs_dir = jobs_dir
        self.watch = watch
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, job_id: str, *, resume: bool = False) -> None:
        """Run a queued job (or, with `resume`, follow a running UiPath job again) in the background."""
        task = asyncio.create_task(self._run(job_id, resume))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Stop following jobs (server shutdown); local robots are killed, their jobs reconciled at start."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _run(self, job_id: str, resume: bool) -> None:
        row = await repository.get_job(self._pool, job_id)
        if row is None:
            return
        workdir = self._jobs_dir / job_id
        if not resume and not await repository.claim_job(self._pool, job_id, str(workdir)):
            return  # another process (or a duplicate start) has it: exactly once
        self.watch.notify(job_id)
        spec = RobotSpec.model_validate(row["robot_spec"])
        attributes = {
            "ariane.robot.id": spec.id,
            "ariane.job.id": job_id,
            "ariane.robot.runner": spec.runner.value,
        }
        with tracer.start_as_current_span("robot_job.run", attributes=attributes) as span:
            result = await self._execute(spec, row, workdir)
            span.set_attribute("ariane.job.status", result.status)
        detail = "Terminé." if result.status == "succeeded" else (result.error or {}).get("detail", "Échec.")
        await repository.finish_job(self._pool, job_id, result.status, asdict(result), detail)
        self.watch.notify(job_id)

    async def _execute(self, spec: RobotSpec, row: dict[str, Any], workdir: Path) -> JobResult:
        if inputs_digest(spec.id, row["inputs"]) != row["digest"]:
            # The inputs stored are not those approved: refuse to run them.
            return JobResult(
                "failed",
                error={"code": "digest_mismatch", "detail": "Entrées modifiées depuis la validation."},
            )

        async def started(external_id: str | None) -> None:
            await repository.set_external_id(self._pool, row["id"], external_id)

        request = JobRequest(
            job_id=row["id"], robot=spec, inputs=row["inputs"], workdir=workdir,
            requester=row["requester_email"],
            external_id=row.get("external_id") if spec.runner is RunnerKind.UIPATH else None,
        )  # fmt: skip
        try:
            return await self._runners[spec.runner].run(request, started)
        except RunnerError as exc:
            return JobResult("failed", log=exc.detail, error={"code": exc.code, "detail": exc.detail})
        except OSError as exc:  # the runner could not be started at all (missing executable, disk)
            logger.exception("job %s could not start", row["id"])
            return JobResult(
                "failed",
                log=str(exc),
                error={"code": "runner_crashed", "detail": f"Le robot n'a pas pu démarrer : {exc}."},
            )


async def reconcile_jobs(pool: Pool, executor: JobExecutor) -> dict[str, int]:
    """At start: queued jobs start; running UiPath jobs are followed again; running local jobs failed.

    A local robot that was running when the server died cannot be told apart from one that finished
    its side effects: it is not run again (never twice), it is failed with what its log says.
    """
    counts = {"started": 0, "followed": 0, "interrupted": 0}
    for row in await repository.jobs_in(pool, "queued"):
        executor.start(row["id"])
        counts["started"] += 1
    for row in await repository.jobs_in(pool, "running"):
        if row["runner"] == "uipath" and row["external_id"]:
            executor.start(row["id"], resume=True)
            counts["followed"] += 1
            continue
        # Its robot may still be going (own process group): stop it, so that nothing acts after "failed".
        stop_orphan(row["external_id"], row["id"])
        console = Path(row["workdir"] or "/nonexistent") / "console.txt"
        log = console.read_text(encoding="utf-8", errors="replace")[-20_000:] if console.is_file() else ""
        detail = (
            "Le serveur a redémarré pendant l'exécution : la tâche n'est pas relancée, vérifiez son journal."
        )
        await repository.finish_job(
            pool,
            row["id"],
            "failed",
            {"log": log, "error": {"code": "interrupted", "detail": detail}},
            detail,
        )
        counts["interrupted"] += 1
    return counts
