"""Putting work in the queue: `enqueue`, idempotent on a key, waking a worker through NOTIFY."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import AsyncConnection

from server.work import repository
from server.work.repository import Conn
from tools.database import Pool

DEFAULT_MAX_ATTEMPTS = 3


async def enqueue(
    db: Pool | Conn,
    kind: str,
    payload: dict[str, Any],
    *,
    key: str | None = None,
    run_after: datetime | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> str:
    """Queue an item of `kind` for any worker that handles it; its id.

    With a `key`, enqueueing again (a retried request, another replica, a sweep) returns the item
    already there instead of adding one: make the key what must happen once (a job id, a message
    id, « report:2026-12 »). Given a connection inside a transaction, the item exists (and the
    workers are woken) only if that transaction commits — queue work with the change that calls for it.
    `run_after` delays it; `max_attempts` bounds retries after failures.
    """
    if isinstance(db, AsyncConnection):
        item_id, _ = await repository.enqueue(db, kind, payload, key, run_after, max_attempts)
        return item_id
    async with db.connection() as conn:
        item_id, _ = await repository.enqueue(conn, kind, payload, key, run_after, max_attempts)
    return item_id
