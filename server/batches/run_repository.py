"""SQL of a batch being run: its lease, claiming rows, recording each row's end."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tools.database import Pool

Row = dict[str, Any]


async def take_lease(
    pool: Pool, batch_id: str, runner: str, seconds: float, take_over: bool = False
) -> Row | None:
    """The running batch, now held by `runner` (free, expired, its own, or `take_over` of a dead one)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE batches SET runner = %s, lease_expires_at = now() + make_interval(secs => %s) "
            "WHERE id = %s AND status = 'running' "
            "AND (%s OR runner IS NULL OR runner = %s OR lease_expires_at < now()) "
            "RETURNING id::text, owner_id::text, status, mode, model, data_class, temperature, max_tokens, "
            "instruction, body, columns, concurrency, token_sealed, language",
            (runner, seconds, batch_id, take_over, runner),
        )
        return await cursor.fetchone()


async def renew_lease(pool: Pool, batch_id: str, runner: str, seconds: float) -> str | None:
    """Extend the lease; the batch's status while `runner` holds it (None: lost)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE batches SET lease_expires_at = now() + make_interval(secs => %s) "
            "WHERE id = %s AND runner = %s RETURNING status",
            (seconds, batch_id, runner),
        )
        found = await cursor.fetchone()
    return str(found["status"]) if found else None


async def release_lease(pool: Pool, batch_id: str, runner: str) -> None:
    """Let another process take the batch at once."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE batches SET runner = NULL, lease_expires_at = NULL WHERE id = %s AND runner = %s",
            (batch_id, runner),
        )


async def runs_left(pool: Pool, kind: str) -> int:
    """Batch runs queued or running in the work queue."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT count(*) AS n FROM work_items WHERE kind = %s AND state IN ('queued', 'running')",
            (kind,),
        )
        found = await cursor.fetchone()
    return int(found["n"]) if found else 0


async def interrupted_rows(pool: Pool, batch_id: str, runner: str) -> list[Row]:
    """Rows a previous holder claimed and never finished."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT number, \"values\", attempts FROM batch_rows WHERE batch_id = %s AND status = 'sending' "
            "AND claimed_by IS DISTINCT FROM %s ORDER BY number",
            (batch_id, runner),
        )
        return await cursor.fetchall()


async def recorded_answers(pool: Pool, batch_id: str) -> list[str]:
    """The bodies of the batch's recorded model calls (the audit trail), oldest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT body FROM audit_records WHERE run_id = %s AND kind = 'model_call' ORDER BY seq",
            (batch_id,),
        )
        return [str(row["body"]) for row in await cursor.fetchall()]


async def claim(pool: Pool, batch_id: str, runner: str) -> Row | None:
    """The next row due, marked `sending` by `runner` (committed before anything is sent)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            # Materialised: a subquery joined in the UPDATE may be scanned again per row, and with
            # SKIP LOCKED each scan finds another row — one claim would take several.
            "WITH due AS MATERIALIZED (SELECT number FROM batch_rows WHERE batch_id = %s "
            "AND status = 'pending' AND next_attempt_at <= now() ORDER BY number LIMIT 1 "
            "FOR UPDATE SKIP LOCKED) "
            "UPDATE batch_rows r SET status = 'sending', attempts = r.attempts + 1, claimed_by = %s, "
            "sent_at = now() FROM due WHERE r.batch_id = %s AND r.number = due.number "
            'RETURNING r.number, r."values", r.attempts',
            (batch_id, runner, batch_id),
        )
        return await cursor.fetchone()


async def next_due(pool: Pool, batch_id: str) -> tuple[int, int, datetime | None]:
    """Rows pending, rows in flight, and when the earliest pending row is due."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT count(*) FILTER (WHERE status = 'pending') AS pending, "
            "count(*) FILTER (WHERE status = 'sending') AS sending, "
            "min(next_attempt_at) FILTER (WHERE status = 'pending') AS due "
            "FROM batch_rows WHERE batch_id = %s",
            (batch_id,),
        )
        found = await cursor.fetchone()
    assert found is not None
    return int(found["pending"]), int(found["sending"]), found["due"]


async def finish_row(pool: Pool, batch_id: str, number: int, runner: str, result: Row) -> bool:
    """Record a row's end (done, refused, failed), if `runner` still holds it."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE batch_rows SET status = %s, output = %s, model_used = %s, data_class = %s, "
            "findings = %s, error_code = %s, error = %s, completed_at = now(), claimed_by = NULL "
            "WHERE batch_id = %s AND number = %s AND status = 'sending' AND claimed_by = %s",
            (
                result["status"],
                result.get("output"),
                result.get("model_used"),
                result.get("data_class"),
                list(result.get("findings") or []),
                result.get("error_code"),
                result.get("error"),
                batch_id,
                number,
                runner,
            ),
        )
        return cursor.rowcount == 1


async def retry_row(
    pool: Pool, batch_id: str, number: int, runner: str, delay: float, *, count_attempt: bool, error: str
) -> None:
    """Put a row back in the queue, due after `delay` seconds (a 429 does not count as an attempt)."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE batch_rows SET status = 'pending', claimed_by = NULL, error = %s, "
            "attempts = attempts - CASE WHEN %s THEN 0 ELSE 1 END, "
            "next_attempt_at = now() + make_interval(secs => %s) "
            "WHERE batch_id = %s AND number = %s AND claimed_by = %s",
            (error, count_attempt, delay, batch_id, number, runner),
        )


async def requeue(pool: Pool, batch_id: str, number: int) -> None:
    """An interrupted row with no recorded answer goes back to the queue."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE batch_rows SET status = 'pending', claimed_by = NULL, next_attempt_at = now() "
            "WHERE batch_id = %s AND number = %s AND status = 'sending'",
            (batch_id, number),
        )


async def adopt(pool: Pool, batch_id: str, number: int, runner: str) -> None:
    """Make an interrupted row `runner`'s, to finish it from its recorded answer."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE batch_rows SET claimed_by = %s "
            "WHERE batch_id = %s AND number = %s AND status = 'sending'",
            (runner, batch_id, number),
        )


async def set_waiting(pool: Pool, batch_id: str, until: datetime | None) -> None:
    """When the batch waits for the gateway's quota (shown as such), or None."""
    async with pool.connection() as conn:
        await conn.execute("UPDATE batches SET waiting_until = %s WHERE id = %s", (until, batch_id))
