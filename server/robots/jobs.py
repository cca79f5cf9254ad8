"""Running approved jobs: claim once, run on the robot's runner, record every transition."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

from opentelemetry import trace

from server.messages import MESSAGES
from server.robots import repository
from server.robots.artifacts import ArtifactStore
from server.robots.job_texts import failure_of, job_error
from server.work import Notifications
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
    """Wakes whoever follows a job when it changes: in this process directly, from others by NOTIFY."""

    def __init__(self, notifications: Notifications | None = None) -> None:
        self._events: dict[str, asyncio.Event] = {}
        if notifications is not None:
            notifications.subscribe(repository.JOBS_CHANNEL, self._changed)

    def _changed(self, job_id: str | None) -> None:
        if job_id is None:  # notifications were lost: every follower looks again
            for known in list(self._events):
                self.notify(known)
        else:
            self.notify(job_id)

    def notify(self, job_id: str) -> None:
        """The job changed."""
        event = self._events.pop(job_id, None)
        if event is not None:
            event.set()

    async def wait(self, job_id: str, timeout: float) -> None:
        """Return at the next change, or after `timeout` seconds at most."""
        event = self._events.setdefault(job_id, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass


class JobExecutor:
    """Runs one job on its robot's runner, for the worker that claimed its work item."""

    def __init__(
        self,
        pool: Pool,
        local: LocalRunner,
        uipath: UiPathRunner,
        jobs_dir: Path,
        watch: JobWatch,
        artifacts: ArtifactStore,
    ) -> None:
        self._pool = pool
        self._artifacts = artifacts
        self._runners: dict[RunnerKind, Runner] = {RunnerKind.LOCAL: local, RunnerKind.UIPATH: uipath}
        self._jobs_dir = jobs_dir
        self.watch = watch

    async def run(self, job_id: str, *, resume: bool = False) -> str | None:
        """Run a queued job (or, with `resume`, follow a running UiPath job again); its final status.

        None when there is nothing to do: the job is unknown, or no longer queued (exactly once).
        """
        row = await repository.get_job(self._pool, job_id)
        if row is None:
            return None
        workdir = self._jobs_dir / job_id
        if resume:
            if row["status"] != "running":
                return None
        elif not await repository.claim_job(self._pool, job_id, str(workdir)):
            return None  # another process (or a duplicate start) has it: exactly once
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
        await self._keep_artifacts(job_id, workdir, result.artifacts)
        detail = (
            MESSAGES("robots.job.finished")
            if result.status == "succeeded"
            else failure_of(result.error) or MESSAGES("robots.job.failed")
        )
        await repository.finish_job(self._pool, job_id, result.status, asdict(result), detail)
        self.watch.notify(job_id)
        return result.status

    async def _keep_artifacts(self, job_id: str, workdir: Path, names: list[str]) -> None:
        """Copy the job's files to the shared store: the worker's folder is not the replicas' disk."""
        for name in names:
            path = workdir / name
            if path.is_file() and path.resolve().is_relative_to(workdir.resolve()):
                await self._artifacts.put(job_id, name, path.read_bytes())

    async def _execute(self, spec: RobotSpec, row: dict[str, Any], workdir: Path) -> JobResult:
        if inputs_digest(spec.id, row["inputs"]) != row["digest"]:
            # The inputs stored are not those approved: refuse to run them.
            return JobResult(
                "failed",
                error=job_error("digest_mismatch", MESSAGES("robots.job.inputs_changed")),
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
                error=job_error("runner_crashed", MESSAGES("robots.job.not_started", error=str(exc))),
            )


async def interrupt_job(pool: Pool, job_id: str) -> bool:
    """The worker running this job died: True when a UiPath job should be followed again.

    A local robot that was running when its worker died cannot be told apart from one that finished
    its side effects: it is not run again (never twice), it is failed with what its log says.
    """
    row = await repository.get_job(pool, job_id)
    if row is None or row["status"] != "running":
        return False  # it finished (or never started: the queued job is queued again by the sweep)
    if row["runner"] == "uipath" and row["external_id"]:
        return True
    # Its robot may still be going (own process group): stop it, so that nothing acts after "failed".
    stop_orphan(row["external_id"], row["id"])
    console = Path(row["workdir"] or "/nonexistent") / "console.txt"
    log = console.read_text(encoding="utf-8", errors="replace")[-20_000:] if console.is_file() else ""
    detail = MESSAGES("robots.job.interrupted")
    await repository.finish_job(
        pool, row["id"], "failed", {"log": log, "error": job_error("interrupted", detail)}, detail
    )
    return False
