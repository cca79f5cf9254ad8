"""SQL of work items, periodic tasks, processes and notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from tools.database import Pool

Row = dict[str, Any]
Conn = AsyncConnection[DictRow]
WORK_CHANNEL = "ariane_work"
_ITEM_COLUMNS = ("id::text AS id", "kind", "payload", "idempotency_key", "state", "attempts", "max_attempts",
                 "error")  # fmt: skip
_ITEM = ", ".join(_ITEM_COLUMNS)
_CLAIMED = ", ".join("w." + column for column in _ITEM_COLUMNS)


async def notify(conn: Conn, channel: str, payload: str) -> None:
    """Send a notification; delivered when the connection's transaction commits (at once in autocommit)."""
    await conn.execute("SELECT pg_notify(%s, %s)", (channel, payload))


async def listen(conn: Conn, channel: str) -> None:
    """Start receiving a channel's notifications on this connection."""
    await conn.execute(f'LISTEN "{channel}"')


# --- work items ---------------------------------------------------------------------------------


async def enqueue(
    conn: Conn,
    kind: str,
    payload: dict[str, Any],
    key: str | None,
    run_after: datetime | None,
    max_attempts: int,
) -> tuple[str, bool]:
    """Insert a queued item unless one with the same kind and key exists; (its id, created now)."""
    cursor = await conn.execute(
        "INSERT INTO work_items (kind, payload, idempotency_key, run_after, max_attempts) "
        "VALUES (%s, %s, %s, coalesce(%s, now()), %s) "
        "ON CONFLICT (kind, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
        "RETURNING id::text",
        (kind, Jsonb(payload), key, run_after, max_attempts),
    )
    row = await cursor.fetchone()
    if row is not None:
        await notify(conn, WORK_CHANNEL, kind)
        return str(row["id"]), True
    cursor = await conn.execute(
        "SELECT id::text FROM work_items WHERE kind = %s AND idempotency_key = %s", (kind, key)
    )
    existing = await cursor.fetchone()
    assert existing is not None
    return str(existing["id"]), False


async def get_item(pool: Pool, item_id: str) -> Row | None:
    """One work item with its outcome."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_ITEM}, result, lease_owner::text, run_after, finished_at FROM work_items "
            "WHERE id = %s",
            (item_id,),
        )
        return await cursor.fetchone()


async def claim_queued(pool: Pool, kinds: list[str], owner: str, lease: float, limit: int) -> list[Row]:
    """Take up to `limit` due items of these kinds for `owner`, skipping those others are taking."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "WITH ready AS (SELECT id FROM work_items WHERE state = 'queued' AND run_after <= now() "
            "AND kind = ANY(%s) ORDER BY run_after LIMIT %s FOR UPDATE SKIP LOCKED) "
            "UPDATE work_items w SET state = 'running', lease_owner = %s, "
            "lease_expires_at = now() + make_interval(secs => %s), heartbeat_at = now(), "
            "attempts = attempts + 1, started_at = now() "
            f"FROM ready WHERE w.id = ready.id RETURNING {_CLAIMED}",
            (kinds, limit, owner, lease),
        )
        return await cursor.fetchall()


async def take_over_expired(pool: Pool, kinds: list[str], owner: str, lease: float, limit: int) -> list[Row]:
    """Items of these kinds whose owner stopped renewing its lease, now leased to `owner`.

    Their attempts are not counted here: the caller decides whether the item runs again.
    """
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "WITH lost AS (SELECT id FROM work_items WHERE state = 'running' AND lease_expires_at < now() "
            "AND kind = ANY(%s) AND lease_owner IS DISTINCT FROM %s LIMIT %s FOR UPDATE SKIP LOCKED) "
            "UPDATE work_items w SET lease_owner = %s, lease_expires_at = now() + make_interval(secs => %s), "
            "heartbeat_at = now() "
            f"FROM lost WHERE w.id = lost.id RETURNING {_CLAIMED}",
            (kinds, owner, limit, owner, lease),
        )
        return await cursor.fetchall()


async def count_attempt(pool: Pool, item_id: str, owner: str) -> int:
    """One more attempt of an item taken over to run again; the attempts so far."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE work_items SET attempts = attempts + 1, started_at = now() "
            "WHERE id = %s AND lease_owner = %s RETURNING attempts",
            (item_id, owner),
        )
        row = await cursor.fetchone()
    return int(row["attempts"]) if row else 0


async def finish(
    pool: Pool, item_id: str, owner: str, state: str, result: Row | None, error: Row | None
) -> bool:
    """Running → succeeded | failed under `owner`'s lease; False when the lease was lost meanwhile."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE work_items SET state = %s, result = %s, error = %s, finished_at = now(), "
            "lease_owner = NULL, lease_expires_at = NULL "
            "WHERE id = %s AND lease_owner = %s AND state = 'running'",
            (state, Jsonb(result) if result is not None else None, Jsonb(error) if error else None,
             item_id, owner),
        )  # fmt: skip
        return cursor.rowcount == 1


async def retry_later(pool: Pool, item_id: str, owner: str, delay: float, error: Row) -> bool:
    """Running → queued again after `delay` seconds (a failed attempt with attempts left)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE work_items SET state = 'queued', error = %s, lease_owner = NULL, "
            "lease_expires_at = NULL, run_after = now() + make_interval(secs => %s) "
            "WHERE id = %s AND lease_owner = %s AND state = 'running'",
            (Jsonb(error), delay, item_id, owner),
        )
        if cursor.rowcount == 1:
            await notify(conn, WORK_CHANNEL, "retry")
        return cursor.rowcount == 1


async def renew_leases(pool: Pool, owner: str, lease: float, items: list[str], tasks: list[str]) -> bool:
    """The heartbeat: the process, the items and periodic tasks it runs stay its own for `lease` seconds.

    False when the process's row is gone (another process forgot it after a long silence).
    """
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute("UPDATE processes SET heartbeat_at = now() WHERE id = %s", (owner,))
        known = cursor.rowcount == 1
        await conn.execute(
            "UPDATE work_items SET lease_expires_at = now() + make_interval(secs => %s), "
            "heartbeat_at = now() WHERE id = ANY(%s::uuid[]) AND lease_owner = %s AND state = 'running'",
            (lease, items, owner),
        )
        await conn.execute(
            "UPDATE periodic_tasks SET lease_expires_at = now() + make_interval(secs => %s) "
            "WHERE name = ANY(%s) AND lease_owner = %s",
            (lease, tasks, owner),
        )
    return known


async def seconds_until_due(pool: Pool, kinds: list[str], tasks: list[str]) -> float | None:
    """Seconds until the next queued item, expiring lease or periodic task of ours (None: nothing)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT extract(epoch FROM least("
            "(SELECT min(run_after) FROM work_items WHERE state = 'queued' AND kind = ANY(%s)), "
            "(SELECT min(lease_expires_at) FROM work_items WHERE state = 'running' AND kind = ANY(%s)), "
            "(SELECT min(greatest(next_run_at, coalesce(lease_expires_at, next_run_at))) "
            " FROM periodic_tasks WHERE name = ANY(%s))"
            ") - now()) AS seconds",
            (kinds, kinds, tasks),
        )
        row = await cursor.fetchone()
    return None if row is None or row["seconds"] is None else float(row["seconds"])


async def prune_finished(pool: Pool, days: int) -> int:
    """Delete finished items older than `days`; how many."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "DELETE FROM work_items WHERE state IN ('succeeded', 'failed') "
            "AND finished_at < now() - make_interval(days => %s)",
            (days,),
        )
        return cursor.rowcount


# --- periodic tasks -----------------------------------------------------------------------------


async def declare_periodic(pool: Pool, name: str, interval: float, first_delay: float) -> None:
    """Make the task known; an existing schedule is kept (a restart does not run everything at once).

    A shorter interval than before brings the next run closer (last start + the new interval).
    """
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO periodic_tasks (name, interval_seconds, next_run_at) "
            "VALUES (%s, %s, now() + make_interval(secs => %s)) "
            "ON CONFLICT (name) DO UPDATE SET interval_seconds = EXCLUDED.interval_seconds, "
            "next_run_at = least(periodic_tasks.next_run_at, "
            "periodic_tasks.last_started_at + make_interval(secs => EXCLUDED.interval_seconds))",
            (name, interval, first_delay),
        )


async def claim_periodic(pool: Pool, names: list[str], owner: str, lease: float) -> list[str]:
    """Due periodic tasks among `names` that no live process holds, now held by `owner`."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "WITH due AS (SELECT name FROM periodic_tasks WHERE name = ANY(%s) AND next_run_at <= now() "
            "AND (lease_expires_at IS NULL OR lease_expires_at < now()) FOR UPDATE SKIP LOCKED) "
            "UPDATE periodic_tasks p SET lease_owner = %s, "
            "lease_expires_at = now() + make_interval(secs => %s), last_started_at = now() "
            "FROM due WHERE p.name = due.name RETURNING p.name",
            (names, owner, lease),
        )
        return [row["name"] for row in await cursor.fetchall()]


async def periodic_done(pool: Pool, name: str, owner: str, error: str | None) -> None:
    """Release the task and schedule its next run one interval from now."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE periodic_tasks SET lease_owner = NULL, lease_expires_at = NULL, "
            "last_finished_at = now(), last_error = %s, "
            "next_run_at = now() + make_interval(secs => interval_seconds) "
            "WHERE name = %s AND lease_owner = %s",
            (error, name, owner),
        )


async def periodic_state(pool: Pool) -> list[Row]:
    """Every periodic task's schedule and last outcome."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT name, interval_seconds, next_run_at, lease_owner::text, last_started_at, "
            "last_finished_at, last_error FROM periodic_tasks ORDER BY name"
        )
        return await cursor.fetchall()


async def queue_ready(pool: Pool) -> bool:
    """True when the work queue's tables exist (the database was migrated)."""
    async with pool.connection() as conn:
        row = await (await conn.execute("SELECT to_regclass('processes') IS NOT NULL AS present")).fetchone()
    return bool(row and row["present"])


# --- processes ----------------------------------------------------------------------------------


async def register_process(pool: Pool, record: Row) -> None:
    """Record a starting process."""
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO processes (id, role, host, pid, started_ticks) VALUES (%s, %s, %s, %s, %s)",
            (record["id"], record["role"], record["host"], record["pid"], record["started_ticks"]),
        )


async def processes_on(pool: Pool, host: str, other_than: str) -> list[Row]:
    """The other processes recorded on `host` (their liveness is checked by the caller)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT id::text, pid, started_ticks FROM processes WHERE host = %s AND id <> %s",
            (host, other_than),
        )
        return await cursor.fetchall()


async def release_owner(pool: Pool, owner: str) -> None:
    """A process is gone: its leases expire now and its row goes (others take its work over)."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute(
            "UPDATE work_items SET lease_expires_at = now() WHERE lease_owner = %s AND state = 'running'",
            (owner,),
        )
        await conn.execute(
            "UPDATE periodic_tasks SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = %s",
            (owner,),
        )
        await conn.execute("DELETE FROM processes WHERE id = %s", (owner,))
        await notify(conn, WORK_CHANNEL, "released")


async def forget_silent_processes(pool: Pool, silent_seconds: float) -> list[str]:
    """Rows of processes that have not renewed for `silent_seconds`: deleted; their ids."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "DELETE FROM processes WHERE heartbeat_at < now() - make_interval(secs => %s) RETURNING id::text",
            (silent_seconds,),
        )
        return [row["id"] for row in await cursor.fetchall()]
