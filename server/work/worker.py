"""The worker loop: due items claimed with `FOR UPDATE SKIP LOCKED` and run under renewed leases.

It also takes over the leases of dead processes and runs periodic tasks, one process at a time.

It sleeps until the next thing due (a delayed item, a lease to take over, a periodic task), or
until a NOTIFY says new work was queued — never polling in a tight loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from server.work import repository
from server.work.kinds import PeriodicTask, WorkFailure, WorkItem, WorkKind, WorkRegistry
from server.work.notifications import Notifications
from server.work.presence import Presence, is_alive
from server.work.stopping import cancel_and_wait
from tools.database import Pool

logger = logging.getLogger(__name__)


def _nothing() -> None:
    return None


INTERRUPTED = {
    "code": "interrupted",
    "detail": "Le processus qui exécutait cette tâche s'est arrêté : elle n'est pas relancée.",
}
_MIN_PAUSE_SECONDS = 0.5  # something due but held by another process: look again soon, not at once


@dataclass(frozen=True)
class WorkerConfig:
    """How much a worker runs at once and how long its leases last."""

    concurrency: int = 4
    lease_seconds: float = 30.0
    heartbeat_seconds: float = 10.0
    idle_seconds: float = 30.0


class Worker:
    """Carries out the registry's kinds and periodic tasks for this process."""

    def __init__(
        self,
        pool: Pool,
        registry: WorkRegistry,
        presence: Presence,
        notifications: Notifications | None = None,
        config: WorkerConfig | None = None,
    ) -> None:
        self.pool = pool
        self.registry = registry
        self.presence = presence
        self.config = config or WorkerConfig()
        self._notifications = notifications
        self._wake = asyncio.Event()
        self._items: dict[str, asyncio.Task[None]] = {}
        self._periodic: dict[str, asyncio.Task[None]] = {}
        self._background: list[asyncio.Task[None]] = []
        self._unsubscribe: Callable[[], None] = _nothing

    @property
    def owner(self) -> str:
        """The id every lease of this process carries."""
        return self.presence.id

    async def start(self) -> None:
        """Record the process, take over what dead processes of this machine left, then work."""
        await repository.register_process(self.pool, self.presence.record())
        for task in self.registry.periodic.values():
            await repository.declare_periodic(self.pool, task.name, task.interval, task.first_delay)
        await self.recover()
        if self._notifications is not None:
            self._unsubscribe = self._notifications.subscribe(repository.WORK_CHANNEL, self._on_notify)
        self._background = [
            asyncio.create_task(self._loop(), name="work-loop"),
            asyncio.create_task(self._heartbeat(), name="work-heartbeat"),
        ]

    async def recover(self) -> None:
        """Release the leases of dead processes recorded on this machine and take their work over now."""
        for row in await repository.processes_on(self.pool, self.presence.host, self.owner):
            if not is_alive(row["pid"], row["started_ticks"]):
                logger.info("process %s (pid %s) is gone: taking its work over", row["id"], row["pid"])
                await repository.release_owner(self.pool, row["id"])
        await self._take_over()

    async def close(self) -> None:
        """Stop: running items are cancelled and their leases released for another process to take."""
        self._unsubscribe()
        await cancel_and_wait([*self._background, *self._items.values(), *self._periodic.values()])
        with contextlib.suppress(psycopg.Error):
            await repository.release_owner(self.pool, self.owner)

    def wake(self) -> None:
        """Look for work now (new work was queued in this process)."""
        self._wake.set()

    def _on_notify(self, payload: str | None) -> None:
        if payload is None or payload in self.registry.kinds or payload in {"retry", "released"}:
            self._wake.set()

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                claimed = await self._round()
                pause = 0.0 if claimed and self._free_slots() else await self._pause()
            except psycopg.Error as exc:  # the database away: wait, then try again
                logger.warning("work loop: %s", exc)
                pause = self.config.heartbeat_seconds
            if pause > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), pause)

    def _free_slots(self) -> int:
        return self.config.concurrency - len(self._items)

    async def _round(self) -> int:
        claimed = await self._take_over()
        kinds = list(self.registry.kinds)
        if kinds and self._free_slots() > 0:
            rows = await repository.claim_queued(
                self.pool, kinds, self.owner, self.config.lease_seconds, self._free_slots()
            )
            for row in rows:
                self._spawn(WorkItem.of(row))
            claimed += len(rows)
        names = [name for name in self.registry.periodic if name not in self._periodic]
        if names:
            for name in await repository.claim_periodic(
                self.pool, names, self.owner, self.config.lease_seconds
            ):
                task = self.registry.periodic[name]
                self._periodic[name] = asyncio.create_task(self._run_periodic(task), name=f"periodic:{name}")
                claimed += 1
        return claimed

    async def _pause(self) -> float:
        if self._free_slots() <= 0:
            return self.config.idle_seconds  # a finishing item wakes the loop
        due = await repository.seconds_until_due(
            self.pool, list(self.registry.kinds), list(self.registry.periodic)
        )
        if due is None:
            return self.config.idle_seconds
        return min(max(due, _MIN_PAUSE_SECONDS), self.config.idle_seconds)

    async def _take_over(self) -> int:
        kinds = list(self.registry.kinds)
        if not kinds:
            return 0
        rows = await repository.take_over_expired(
            self.pool, kinds, self.owner, self.config.lease_seconds, self.config.concurrency
        )
        for row in rows:
            item, kind = WorkItem.of(row), self.registry.kinds[row["kind"]]
            if kind.rerun_safe and item.attempts < item.max_attempts:
                attempts = await repository.count_attempt(self.pool, item.id, self.owner)
                logger.info("work item %s (%s) taken over: attempt %d", item.id, item.kind, attempts)
                self._spawn(WorkItem.of({**row, "attempts": attempts}))
            else:
                await self._interrupt(kind, item)
        return len(rows)

    async def _interrupt(self, kind: WorkKind, item: WorkItem) -> None:
        try:
            await kind.interrupted(item)
        except Exception:  # a failed reconciliation: the lease expires and another round tries again
            logger.exception("work item %s (%s): reconciling its interruption failed", item.id, kind.name)
            return
        await repository.finish(self.pool, item.id, self.owner, "failed", None, INTERRUPTED)
        logger.warning("work item %s (%s) interrupted: not run again", item.id, kind.name)

    def _spawn(self, item: WorkItem) -> None:
        task = asyncio.create_task(self._run(self.registry.kinds[item.kind], item), name=f"work:{item.id}")
        self._items[item.id] = task

        def done(_: asyncio.Task[None]) -> None:
            self._items.pop(item.id, None)
            self._wake.set()  # a slot is free

        task.add_done_callback(done)

    async def _run(self, kind: WorkKind, item: WorkItem) -> None:
        try:
            result = await kind.handler(item)
        except WorkFailure as failure:
            await self._settle(item, "failed", None, {"code": failure.code, "detail": failure.detail})
        except Exception as exc:  # a handler's failure is its item's outcome, never the worker's end
            logger.exception("work item %s (%s) failed (attempt %d)", item.id, kind.name, item.attempts)
            error = {"code": "failed", "detail": f"{type(exc).__name__}: {exc}"[:1000]}
            if item.attempts < item.max_attempts:
                delay = kind.retry_seconds * item.attempts
                await repository.retry_later(self.pool, item.id, self.owner, delay, error)
            else:
                await self._settle(item, "failed", None, error)
        else:
            await self._settle(item, "succeeded", result, None)

    async def _settle(self, item: WorkItem, state: str, result: dict[str, object] | None,
                      error: dict[str, str] | None) -> None:  # fmt: skip
        if not await repository.finish(self.pool, item.id, self.owner, state, result, error):
            logger.error("work item %s finished after its lease was lost: outcome not recorded", item.id)

    async def _run_periodic(self, task: PeriodicTask) -> None:
        error = None
        try:
            await task.run()
        except Exception as exc:  # a failed round is recorded; the next one comes anyway
            logger.exception("periodic task %s failed", task.name)
            error = f"{type(exc).__name__}: {exc}"[:1000]
        finally:
            self._periodic.pop(task.name, None)
        with contextlib.suppress(psycopg.Error):  # unreleased, its lease expires: it runs again then
            await repository.periodic_done(self.pool, task.name, self.owner, error)
        self._wake.set()

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.config.heartbeat_seconds)
            try:
                known = await repository.renew_leases(
                    self.pool, self.owner, self.config.lease_seconds, list(self._items), list(self._periodic)
                )
                if not known:  # silent too long, forgotten by another process: be known again
                    await repository.register_process(self.pool, self.presence.record())
            except psycopg.Error as exc:
                logger.warning("work heartbeat failed: %s", exc)
