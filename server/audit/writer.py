"""The batching writer: records queued by spans and recorders, chained and COPied in batches.

Producers never wait (a span ending only appends to a deque); one task per process drains the queue
in batches of up to `batch_size`, under a database lock that serialises writers across processes, so
the chain stays one line. A run asks `flush(since)` before it answers: if any of its records could not
be written, the run fails closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from server.audit import repository
from server.audit.anchors import AnchorBook
from server.audit.chain import GENESIS, Record, canonical, link
from server.messages import MESSAGES
from tools.database import Pool
from tools.i18n import Text

logger = logging.getLogger(__name__)

# How long spans may gather before a write when nobody waits for them (a flush cuts it short): one
# transaction for a run's many records, not one per burst.
LINGER_SECONDS = 0.5
BodySource = str | dict[str, Any] | Callable[[], Any]


class AuditUnavailableError(Exception):
    """Records could not be written to the audit store: what depends on them must fail closed.

    `str(error)` is French (logs, run failures); `text` reaches an `/api` caller in their language.
    """

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


@dataclass(frozen=True)
class Pending:
    """A record waiting for its place in the chain; `body` is rendered by the writer task."""

    kind: str
    trace_id: str
    body: BodySource
    run_id: str | None = None
    name: str | None = None

    def text(self) -> str:
        """The canonical JSON body."""
        body = self.body() if callable(self.body) else self.body
        return body if isinstance(body, str) else canonical(body)


class AuditWriter:
    """One per process, started and closed by the app's lifespan."""

    def __init__(
        self,
        pool: Pool,
        anchors: AnchorBook | None = None,
        *,
        batch_size: int = 1000,
        anchor_seconds: float = 60.0,
        flush_timeout: float = 10.0,
    ) -> None:
        self._pool = pool
        self._anchors = anchors
        self._batch_size = batch_size
        self._anchor_seconds = anchor_seconds
        self._flush_timeout = flush_timeout
        self._queue: deque[Pending] = deque()
        self._submitted = 0
        self._done = 0
        self._failed: list[tuple[int, int, str]] = []  # (first, last) submit numbers of lost batches
        self._wake = asyncio.Event()
        self._urgent = False  # a flush is waiting: write at once, do not linger
        self._hurry = asyncio.Event()  # ends a linger early
        self._progress = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._task: asyncio.Task[None] | None = None
        self._last_anchor = time.monotonic()
        self._unanchored = False
        self._store: bytes | None = None

    @property
    def submitted(self) -> int:
        """How many records were handed to the writer so far (a mark for `flush`)."""
        return self._submitted

    def start(self) -> None:
        """Start the writer task in the running loop."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._task = asyncio.create_task(self._drain(), name="audit-writer")

    def submit(self, pending: Pending) -> None:
        """Queue a record; callable from any thread, never blocks."""
        self._queue.append(pending)
        self._submitted += 1
        if self._loop is None:
            return
        # No reason to linger with a whole batch. (A large record — a transcript — is not written
        # ahead of the others either: a write of its own, while the run goes on, cost the run more than
        # the same bytes in the run's one write at its end.)
        full = len(self._queue) >= self._batch_size
        if threading.get_ident() == self._loop_thread:
            self._wake_up(full)
        else:
            self._loop.call_soon_threadsafe(self._wake_up, full)

    def _wake_up(self, hurry: bool) -> None:
        self._wake.set()
        if hurry:
            self._hurry.set()

    async def flush(self, since: int = 0) -> None:
        """Wait until every record submitted so far is written.

        Raises:
            AuditUnavailableError: a record submitted after `since` was lost, the writer is not running,
                or the store did not answer within the flush timeout.
        """
        target = self._submitted
        if self._task is None or self._task.done():
            if target > self._done:
                raise AuditUnavailableError(MESSAGES("audit.writer_stopped"))
        try:
            async with asyncio.timeout(self._flush_timeout):
                while self._done < target:
                    self._urgent = True
                    self._wake.set()
                    self._hurry.set()
                    self._progress.clear()
                    await self._progress.wait()
        except TimeoutError:
            raise AuditUnavailableError(MESSAGES("audit.writer_silent")) from None
        for first, last, reason in self._failed:
            if last > since and first <= target:
                raise AuditUnavailableError(MESSAGES("audit.writer_failed", reason=reason))

    async def close(self) -> None:
        """Write what is queued, anchor the head, stop."""
        if self._task is None:
            return
        try:
            await self.flush(self._done)
        except AuditUnavailableError as exc:
            logger.error("audit records lost at shutdown: %s", exc)
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        self._task = None
        if self._unanchored:
            await self.anchor()

    async def anchor(self) -> None:
        """Sign the current head into the stored anchors (no-op without anchors or records)."""
        if self._anchors is None:
            return
        try:
            seq, chain = await repository.head(self._pool)
            if seq == 0:
                return
            self._store = self._store or await repository.first_chain(self._pool)
            assert self._store is not None
            anchor = await self._anchors.write(self._store, seq, chain)
        except psycopg.Error:
            logger.exception("audit anchor skipped: the store cannot be read or written")
            return
        # A copy outside the database, for the log collector: the witness against someone who could
        # delete the store's tail and its last anchors together.
        logger.info(
            "audit anchor: store %s seq %d chain %s signature %s",
            anchor.store, anchor.seq, anchor.chain, anchor.signature,
        )  # fmt: skip
        self._last_anchor, self._unanchored = time.monotonic(), False

    async def _drain(self) -> None:
        while True:
            await self._wake.wait()
            if not self._urgent:  # a full batch has set `_hurry` already
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(LINGER_SECONDS):
                        await self._hurry.wait()
            self._wake.clear()
            self._hurry.clear()
            self._urgent = False
            while self._queue:
                batch = [self._queue.popleft() for _ in range(min(self._batch_size, len(self._queue)))]
                first = self._done + 1
                try:
                    await self._write(batch)
                    self._unanchored = True
                except (psycopg.Error, OSError) as exc:  # fail closed: the runs waiting on these fail
                    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    logger.error("audit batch of %d records lost: %s", len(batch), reason)
                    self._failed.append((first, first + len(batch) - 1, reason))
                    del self._failed[:-100]
                self._done += len(batch)
                self._progress.set()
                if self._queue and not self._urgent and len(self._queue) < self._batch_size:
                    self._wake.set()  # the rest after a linger, with what arrives meanwhile
                    break
            if self._unanchored and time.monotonic() - self._last_anchor >= self._anchor_seconds:
                await self.anchor()

    async def _write(self, batch: list[Pending]) -> None:
        bodies = [pending.text() for pending in batch]
        now = time.time_ns()
        async with self._pool.connection() as conn, conn.transaction():
            (seq, chain), heads = await repository.lock_heads(
                conn, sorted({pending.trace_id for pending in batch})
            )
            chain = chain or GENESIS
            rows = []
            for pending, body in zip(batch, bodies, strict=True):
                seq += 1
                trace_seq, trace_chain = heads.get(pending.trace_id, (0, GENESIS))
                record = Record(
                    seq,
                    pending.kind,
                    pending.trace_id,
                    trace_seq + 1,
                    now,
                    pending.run_id,
                    pending.name,
                    body,
                )
                digest = record.digest()
                chain, trace_chain = link(chain, digest), link(trace_chain, digest)
                heads[pending.trace_id] = (trace_seq + 1, trace_chain)
                rows.append((record, digest, chain, trace_chain))
            await repository.append(conn, rows)
