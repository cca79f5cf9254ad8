"""Running turns in the background and fanning their events out to any number of listeners.

A run is not tied to the HTTP request that started it: the client may disconnect and reattach
(`GET /api/runs/{id}/events?after=N`) and still get every event, because each event is written to
`run_events` before it is delivered live. The run's task lives in the process that started it (its
`owner`); a listener attached to another replica reads the stored events, woken by the NOTIFY each
stored event sends, and a stop received elsewhere reaches the owner the same way. When the owner
dies, whoever notices (a listener, a stop, the periodic recovery) closes the run `interrupted`.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import psycopg

from server.chat import repository
from server.chat.schemas import EventType, RunEvent
from server.messages import MESSAGES
from server.work import Notifications
from tools.database import Pool

logger = logging.getLogger(__name__)

Emit = Callable[[EventType, dict[str, Any]], Awaitable[None]]
Work = Callable[[Emit], Coroutine[Any, Any, None]]
_TERMINAL = {EventType.DONE}
_STOP_ATTEMPTS = 20
_STOP_RETRY_SECONDS = 0.5
_REMOTE_CHECK_SECONDS = 5.0  # a listener of another process's run checks its host at least this often
_REMOTE_STOP_SECONDS = 15.0  # how long a stop sent to another process waits for the run to end
# Stored in French (what an earlier release reads); each reader gets it in their language on the way
# out (`server.chat.service.in_language`): whoever writes it does not know the run's reader.
INTERRUPTED = {"code": "interrupted", "detail": MESSAGES.text("chat.interrupted", "fr")}


@dataclass
class _LiveRun:
    task: asyncio.Task[None] | None = None
    seq: int = 0
    listeners: list[asyncio.Queue[RunEvent]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    closed: bool = False  # closed by another process: nothing more is published


class RunHub:
    """The runs of this process (tasks, sequence numbers, listeners), and listeners of others' runs.

    `owner` is this process's id in `processes` (recorded on the runs it starts); a run whose owner
    has not renewed its row for `lease_seconds` is dead.
    """

    def __init__(
        self,
        pool: Pool,
        owner: str | None = None,
        notifications: Notifications | None = None,
        lease_seconds: float = 30.0,
    ) -> None:
        self._pool = pool
        self.owner = owner
        self._lease = lease_seconds
        self._live: dict[str, _LiveRun] = {}
        self._remote: dict[str, set[asyncio.Event]] = {}
        self._stopping: set[asyncio.Task[bool]] = set()
        if notifications is not None:
            notifications.subscribe(repository.RUN_EVENTS_CHANNEL, self._stored)
            notifications.subscribe(repository.RUN_STOP_CHANNEL, self._stop_asked)

    def start(self, run_id: str, work: Work) -> None:
        """Run `work(emit)` in the background; `work` must end by emitting a `done` event.

        The run was stored with its `started` event (`repository.create_run`): `work`'s come after it.
        """
        live = self._live.setdefault(run_id, _LiveRun())
        live.seq = max(live.seq, repository.STARTED_EVENTS)
        # A fresh context: the run must not inherit the request's anyio cancel scopes, or a client
        # that disconnects (or a stop) can leave the run's cancellation swallowed by the scope.
        live.task = asyncio.create_task(
            work(lambda kind, data: self.publish(run_id, kind, data)), context=contextvars.Context()
        )
        live.task.add_done_callback(lambda _: self._forget_later(run_id))

    async def publish(self, run_id: str, kind: EventType, data: dict[str, Any]) -> None:
        """Persist the event, then hand it to the live listeners.

        If another process closed the run meanwhile (it took this one for dead: silent longer than
        a lease), its closing events are handed to the listeners and the run's work stops here.
        """
        live = self._live.setdefault(run_id, _LiveRun())
        async with live.lock:  # keeps seq order equal to delivery order
            if live.closed:
                raise asyncio.CancelledError
            event = RunEvent(seq=live.seq + 1, type=kind, data=data)
            writing = asyncio.ensure_future(
                repository.append_event(self._pool, run_id, event.seq, event.type, event.data)
            )
            try:
                stopped = await _through_cancellation(writing)
            except psycopg.errors.UniqueViolation:
                live.closed = True
                logger.error("run %s was closed by another process while it ran here", run_id)
                for stored in await repository.events_after(self._pool, run_id, event.seq - 1):
                    for queue in live.listeners:
                        queue.put_nowait(stored)
                raise asyncio.CancelledError from None
            # Counted only once stored: a number taken by an event that was never stored would be a
            # gap every listener sees (a stop arriving while the event was being written).
            live.seq = event.seq
            for queue in live.listeners:
                queue.put_nowait(event)
            if stopped:
                raise asyncio.CancelledError

    def is_running(self, run_id: str) -> bool:
        """True while the run's task is going in this process."""
        live = self._live.get(run_id)
        return live is not None and live.task is not None and not live.task.done()

    async def stop(self, run_id: str) -> bool:
        """Cancel a running run; its work is expected to record the stop. False if not running here."""
        live = self._live.get(run_id)
        if live is None or live.task is None or live.task.done():
            return False
        # A cancellation can be swallowed by a library that was running when it arrived (a database
        # call cleaning up, say); the run then goes on to its next wait. Cancel until it has stopped.
        for _ in range(_STOP_ATTEMPTS):
            live.task.cancel()
            await asyncio.wait({live.task}, timeout=_STOP_RETRY_SECONDS)
            if live.task.done():
                return True
        logger.error("run %s did not stop after %d cancellations", run_id, _STOP_ATTEMPTS)
        return False

    async def events(self, run_id: str, after: int, finished: bool) -> AsyncIterator[RunEvent]:
        """Every event after `after`: first those already stored, then live ones until `done`."""
        live = self._live.get(run_id)
        if live is None:
            source = self._ended(run_id, after) if finished else self._elsewhere(run_id, after)
            async for event in source:
                yield event
            return
        queue: asyncio.Queue[RunEvent] = asyncio.Queue()
        if not finished:
            live.listeners.append(queue)  # listen before reading the store, so nothing falls in between
        try:
            last = after
            for event in await repository.events_after(self._pool, run_id, after):
                yield event
                last = event.seq
                if event.type in _TERMINAL:
                    return
            if finished:
                return
            while True:
                event = await queue.get()
                if event.seq <= last:
                    continue
                yield event
                if event.type in _TERMINAL:
                    return
        finally:
            if queue in live.listeners:
                live.listeners.remove(queue)

    async def _ended(self, run_id: str, after: int) -> AsyncIterator[RunEvent]:
        """Stored events of a run that has ended elsewhere; if its `done` is not stored yet, wait for it."""
        last = after
        for event in await repository.events_after(self._pool, run_id, after):
            yield event
            last = event.seq
            if event.type in _TERMINAL:
                return
        if last > after:  # its owner recorded the outcome and has yet to store `done`
            async for event in self._elsewhere(run_id, last):
                yield event

    async def _elsewhere(self, run_id: str, after: int) -> AsyncIterator[RunEvent]:
        """Events of a run hosted by another process: read from the store each time NOTIFY says more."""
        wake = asyncio.Event()
        self._remote.setdefault(run_id, set()).add(wake)  # before reading, so nothing falls in between
        try:
            last = after
            quiet = False  # ended, and nothing came since for a whole check
            while True:
                wake.clear()
                for event in await repository.events_after(self._pool, run_id, last):
                    yield event
                    last, quiet = event.seq, False
                    if event.type in _TERMINAL:
                        return
                try:
                    await asyncio.wait_for(wake.wait(), _REMOTE_CHECK_SECONDS)
                except TimeoutError:  # quiet for a while: is its host still there?
                    if not await self._still_going(run_id):
                        wake.set()  # ended (or just closed as interrupted): read what is left
                        if await repository.run_status(self._pool, run_id) != "running" and not (
                            await repository.events_after(self._pool, run_id, last)
                        ):
                            # Its owner stores the outcome, then `done`: give that `done` one more
                            # check to arrive before ending a stream that never got it.
                            if quiet:
                                return
                            quiet = True
        finally:
            listeners = self._remote.get(run_id)
            if listeners is not None:
                listeners.discard(wake)
                if not listeners:
                    self._remote.pop(run_id, None)

    async def _still_going(self, run_id: str) -> bool:
        """False when the run has ended, or its host died (then it is closed here as interrupted)."""
        if await repository.run_status(self._pool, run_id) != "running":
            return False
        if await repository.orphaned_runs(self._pool, self._lease, run_id):
            await repository.interrupt_run(self._pool, run_id, INTERRUPTED)
            return False
        return True

    def _stored(self, run_id: str | None) -> None:
        targets = self._remote.values() if run_id is None else [self._remote.get(run_id, set())]
        for listeners in list(targets):
            for wake in listeners:
                wake.set()

    def _stop_asked(self, run_id: str | None) -> None:
        if run_id is not None and self.is_running(run_id):
            task = asyncio.create_task(self.stop(run_id))
            self._stopping.add(task)
            task.add_done_callback(self._stopping.discard)

    async def stop_anywhere(self, run_id: str) -> None:
        """Stop the run wherever it runs; returns once it has ended (or after a bounded wait).

        Here: cancelled at once. Elsewhere: its host is asked through NOTIFY; if that host is dead,
        the run is closed as interrupted.
        """
        if await self.stop(run_id):
            return
        wake = asyncio.Event()
        self._remote.setdefault(run_id, set()).add(wake)
        try:
            await repository.request_stop(self._pool, run_id)
            deadline = asyncio.get_running_loop().time() + _REMOTE_STOP_SECONDS
            while await self._still_going(run_id):
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    logger.warning("run %s did not stop within %.0f s", run_id, _REMOTE_STOP_SECONDS)
                    return
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), min(left, 1.0))
        finally:
            listeners = self._remote.get(run_id)
            if listeners is not None:
                listeners.discard(wake)

    async def close(self) -> None:
        """Cancel every run still going (server shutdown)."""
        for run_id in list(self._live):
            await self.stop(run_id)

    def _forget_later(self, run_id: str) -> None:
        # Listeners attached just before the end still drain their queues; keep the entry briefly.
        asyncio.get_running_loop().call_later(30, self._live.pop, run_id, None)


async def _through_cancellation(store: asyncio.Future[None]) -> bool:
    """Wait for `store` to finish even if this task is cancelled meanwhile; True if it was.

    The write of an event is not abandoned half-way (committed or not, nobody would know): it ends,
    the event is delivered, then the cancellation goes on.
    """
    cancelled = False
    while True:
        try:
            await asyncio.shield(store)
        except asyncio.CancelledError:
            if store.cancelled():  # the write itself was cancelled (the loop is closing)
                raise
            cancelled = True
            continue
        return cancelled
