"""PostgreSQL notifications of one process: one LISTEN connection, callbacks per channel.

Notifications only wake people up: what they announce is always read back from the tables (a
notification sent while the connection was down is lost, so after a reconnection every subscriber
is called with `None`, meaning "something may have changed, look again").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import psycopg
from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row

from server.work import repository
from server.work.stopping import cancel_and_wait

logger = logging.getLogger(__name__)
Callback = Callable[[str | None], None]
_RECONNECT_SECONDS = (0.2, 1.0, 5.0)
_WAIT_SECONDS = 30.0


class Notifications:
    """Subscribe callbacks to channels; `start()` listens to every channel named at construction."""

    def __init__(self, url: str, channels: tuple[str, ...]) -> None:
        self._url = url
        self._channels = channels
        self._subscribers: dict[str, list[Callback]] = {channel: [] for channel in channels}
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    def subscribe(self, channel: str, callback: Callback) -> Callable[[], None]:
        """Call `callback(payload)` on each notification of `channel`; returns the unsubscriber.

        Callbacks run on the event loop and must not block (set an event, put in a queue).
        """
        if channel not in self._subscribers:
            raise ValueError(f"channel {channel!r} is not listened to")
        self._subscribers[channel].append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers[channel].remove(callback)

        return unsubscribe

    async def start(self, timeout: float = 10.0) -> None:
        """Connect and listen in the background; returns once listening (or after `timeout`)."""
        self._task = asyncio.create_task(self._listen_forever(), name="pg-notifications")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout)

    async def close(self) -> None:
        """Stop listening."""
        if self._task is not None:
            await cancel_and_wait([self._task])
            self._task = None

    def _dispatch(self, channel: str, payload: str | None) -> None:
        for callback in list(self._subscribers.get(channel, ())):
            try:
                callback(payload)
            except Exception:  # one subscriber's bug must not stop the others' wake-ups
                logger.exception("notification callback failed on %s", channel)

    async def _listen_forever(self) -> None:
        failures = 0
        while True:
            try:
                conn: AsyncConnection[DictRow] = await AsyncConnection.connect(
                    self._url, autocommit=True, row_factory=dict_row
                )
                try:
                    for channel in self._channels:
                        await repository.listen(conn, channel)
                    if failures:  # whatever was sent meanwhile is lost: everyone looks again
                        for channel in self._channels:
                            self._dispatch(channel, None)
                    failures = 0
                    self._ready.set()
                    while True:
                        # Bounded waits: the generator ends (and frees the connection) regularly, so
                        # that a cancellation never leaves it holding the connection's lock.
                        notes = conn.notifies(timeout=_WAIT_SECONDS)
                        try:
                            async for note in notes:
                                self._dispatch(note.channel, note.payload)
                        finally:
                            await notes.aclose()
                finally:
                    await conn.close()
            except psycopg.Error as exc:
                pause = _RECONNECT_SECONDS[min(failures, len(_RECONNECT_SECONDS) - 1)]
                failures += 1
                logger.warning("notifications connection lost (%s); again in %.1f s", exc, pause)
                await asyncio.sleep(pause)
