"""SQL of the notifications: held tool calls waiting, and when the user last looked at their jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

from psycopg.rows import DictRow

from tools.database import Pool


async def pending_confirmations(pool: Pool, user_id: str, younger_than: timedelta) -> list[DictRow]:
    """The user's held tool calls still waiting for their decision (expired ones no longer can be)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT id::text, run_id::text, thread_id::text, server, tool, created_at "
            "FROM tool_confirmations WHERE user_id = %s AND status = 'pending' "
            "AND created_at > now() - %s ORDER BY created_at DESC",
            (user_id, younger_than),
        )
        return await cursor.fetchall()


async def jobs_seen_at(pool: Pool, user_id: str) -> datetime | None:
    """When the user last marked their finished jobs as seen (None: never)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT jobs_seen_at FROM notification_reads WHERE user_id = %s", (user_id,)
        )
        row = await cursor.fetchone()
    return row["jobs_seen_at"] if row else None


async def mark_jobs_seen(pool: Pool, user_id: str) -> None:
    """The user has seen their finished jobs up to now."""
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO notification_reads (user_id) VALUES (%s) "
            "ON CONFLICT (user_id) DO UPDATE SET jobs_seen_at = now()",
            (user_id,),
        )
