"""Running turns in the background and fanning their events out to any number of listeners.

A run is not tied to the HTTP request that started it: the client may disconnect and reattach
(`GET /api/runs/{id}/events?after=N`) and still get every event, because each event is written to
`run_events` before it is delivered live.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from server.chat import repository
from server.chat.schemas import EventType, RunEvent
from tools.database import Pool

logger = logging.getLogger(__name__)

Emit = Callable[[EventType, dict[str, Any]], Awaitable[None]]
Work = Callable[[Emit], Coroutine[Any, Any, None]]
_TERMINAL = {EventType.DONE}
_STOP_ATTEMPTS = 20
_STOP_RETRY_SECONDS = 0.5


@dataclass
class _LiveRun:
    task: asyncio.Task[None] | None = None
    seq: int = 0
    listeners: list[asyncio.Queue[RunEvent]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class RunHub:
    """The runs of this process: their tasks, sequence numbers and live listeners."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool
        self._live: dict[str, _LiveRun] = {}

    def start(self, run_id: str, work: Work) -> None:
        """Run `work(emit)` in the background; `work` must end by emitting a `done` event."""
        live = self._live.setdefault(run_id, _LiveRun())
        # A fresh context: the run must not inherit the request's anyio cancel scopes, or a client
        # that disconnects (or a stop) can leave the run's cancellation swallowed by the scope.
        live.task = asyncio.create_task(
            work(lambda kind, data: self.publish(run_id, kind, data)), context=contextvars.Context()
        )
        live.task.add_done_callback(lambda _: self._forget_later(run_id))

    async def publish(self, run_id: str, kind: EventType, data: dict[str, Any]) -> None:
        """Persist the event, then hand it to the live listeners."""
        live = self._live.setdefault(run_id, _LiveRun())
        async with live.lock:  # keeps seq order equal to delivery order
            live.seq += 1
            event = RunEvent(seq=live.seq, type=kind, data=data)
            await repository.append_event(self._pool, run_id, event.seq, event.type, event.data)
            for queue in live.listeners:
                queue.put_nowait(event)

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
        queue: asyncio.Queue[RunEvent] = asyncio.Queue()
        live = self._live.get(run_id)
        if live is not None and not finished:
            live.listeners.append(queue)  # listen before reading the store, so nothing falls in between
        try:
            last = after
            for event in await repository.events_after(self._pool, run_id, after):
                yield event
                last = event.seq
                if event.type in _TERMINAL:
                    return
            if live is None or finished:
                return
            while True:
                event = await queue.get()
                if event.seq <= last:
                    continue
                yield event
                if event.type in _TERMINAL:
                    return
        finally:
            if live is not None and queue in live.listeners:
                live.listeners.remove(queue)

    async def close(self) -> None:
        """Cancel every run still going (server shutdown)."""
        for run_id in list(self._live):
            await self.stop(run_id)

    def _forget_later(self, run_id: str) -> None:
        # Listeners attached just before the end still drain their queues; keep the entry briefly.
        asyncio.get_running_loop().call_later(30, self._live.pop, run_id, None)
