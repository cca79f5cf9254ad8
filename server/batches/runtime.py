"""Wiring of batch letters into a process: the service, the runner, the runs it carries.

A launched batch runs in the process that launched it; a sweeper takes up every running batch nobody
holds (its process died: the lease expired), so that a batch resumes on any replica after a crash or
a restart. The lease is in PostgreSQL (`batches.runner`, `lease_expires_at`): one holder at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from server.auth.schemas import User
from server.batches import run_repository
from server.batches.recording import BatchAuditor
from server.batches.runner import BatchRunner, RunnerConfig
from server.batches.service import BatchService, Limits
from server.gateway.decision import Catalogue
from server.registry.sealing import SecretBox
from server.settings import Settings
from tools.database import Pool

logger = logging.getLogger(__name__)


class LocalRuns:
    """The batches this process runs, each in a task of its own; taken up again by the sweeper."""

    def __init__(self, runner: BatchRunner) -> None:
        self.runner = runner
        self._tasks: dict[str, asyncio.Task[Any]] = {}

    async def launch(self, batch_id: str) -> None:
        """Run the batch here now (a no-op when this process runs it already)."""
        task = self._tasks.get(batch_id)
        if task is not None and not task.done():
            return
        self._tasks[batch_id] = asyncio.create_task(self._run(batch_id), name=f"batch {batch_id}")

    async def _run(self, batch_id: str) -> None:
        try:
            await self.runner.run(batch_id)
        except asyncio.CancelledError:
            raise
        except Exception:  # a batch's failure must not stop the others: logged, taken up by the sweeper
            logger.exception("batch %s stopped on an unexpected error", batch_id)

    async def sweep(self) -> None:
        """Take up running batches nobody holds."""
        for batch_id in await run_repository.orphaned(self.runner.pool):
            await self.launch(batch_id)

    async def sweep_forever(self, seconds: float) -> None:
        """Sweep now, then every `seconds`."""
        while True:
            try:
                await self.sweep()
            except Exception:  # the database may be briefly away: try again at the next sweep
                logger.exception("batch sweep failed")
            await asyncio.sleep(seconds)

    async def wait_idle(self) -> None:
        """Wait until every batch task of this process has returned (tests, benchmarks)."""
        while any(not task.done() for task in self._tasks.values()):
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    async def close(self) -> None:
        """Stop the batch tasks (rows in flight are taken up again by the next holder)."""
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        await self.runner.close()


async def gateway_catalogue(app: Any) -> Catalogue:
    """The gateway's catalogue in force (the policy version saved last)."""
    loaded = await app.state.gateway.store.current()
    catalogue: Catalogue = loaded.catalogue
    return catalogue


@asynccontextmanager
async def batches_running(
    settings: Settings,
    pool: Pool,
    *,
    authenticate: Callable[[str], Awaitable[User]],
    catalogue: Callable[[], Awaitable[Catalogue]],
    auditor: BatchAuditor | None,
    model_transport: httpx.AsyncBaseTransport | None,
) -> AsyncIterator[tuple[BatchService, LocalRuns]]:
    """The batch service and this process's runs, with the sweeper, until the process stops."""
    secrets = SecretBox.from_settings(settings.registry_secret_key, settings.data_dir)
    config = RunnerConfig(
        base_url=settings.internal_url,
        transport=model_transport,
        max_attempts=settings.batch_max_attempts,
        backoff_seconds=settings.batch_retry_backoff_seconds,
        lease_seconds=settings.batch_lease_seconds,
    )
    runner = BatchRunner(pool, secrets, authenticate, catalogue, auditor, config)
    runs = LocalRuns(runner)
    limits = Limits(settings.batch_max_upload_bytes, settings.batch_max_rows, settings.batch_concurrency)
    service = BatchService(pool, limits, catalogue, secrets, runs.launch, lambda: auditor)
    sweeper = asyncio.create_task(runs.sweep_forever(settings.batch_sweep_seconds), name="batch sweeper")
    try:
        yield service, runs
    finally:
        sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeper
        await runs.close()
