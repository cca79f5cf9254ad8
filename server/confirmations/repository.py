"""SQL of held tool calls and their decisions."""

from __future__ import annotations

from typing import Any

from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from agents.turn import HeldCall
from tools.database import Pool

# The approved definition (the one reviewed) says what the tool does; the current one if none is.
_VIEW = """
    SELECT c.id::text, c.run_id::text, c.thread_id::text, c.server, c.tool, c.arguments, c.digest,
           c.status, c.created_at, c.decided_at, c.result_run_id::text,
           coalesce(d.approved_definition, d.definition, '{}'::jsonb) AS definition
    FROM tool_confirmations c
    LEFT JOIN tool_definitions d ON d.server = c.server AND d.name = c.tool
"""


async def record(pool: Pool, run_id: str, thread_id: str, user_id: str, call: HeldCall) -> DictRow:
    """Record the call a run was held on (one per run)."""
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO tool_confirmations (run_id, thread_id, user_id, server, tool, arguments, digest) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (run_id, thread_id, user_id, call.server, call.tool, Jsonb(call.arguments), call.digest),
        )
        cursor = await conn.execute(f"{_VIEW} WHERE c.run_id = %s", (run_id,))
        row = await cursor.fetchone()
    assert row is not None
    return row


async def of_run(pool: Pool, user_id: str, run_id: str) -> DictRow | None:
    """The held call of the user's run, or None (none, or another user's run)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(f"{_VIEW} WHERE c.run_id = %s AND c.user_id = %s", (run_id, user_id))
        return await cursor.fetchone()


async def of_thread(pool: Pool, user_id: str, thread_id: str) -> list[DictRow]:
    """The held calls of the user's thread, oldest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"{_VIEW} WHERE c.thread_id = %s AND c.user_id = %s ORDER BY c.created_at", (thread_id, user_id)
        )
        return await cursor.fetchall()


async def decide(pool: Pool, confirmation_id: str, status: str) -> bool:
    """Record the decision if none was yet; False when another got there first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE tool_confirmations SET status = %s, decided_at = now() "
            "WHERE id = %s AND status = 'pending' RETURNING id",
            (status, confirmation_id),
        )
        return await cursor.fetchone() is not None


async def undo(pool: Pool, confirmation_id: str, status: str) -> None:
    """Take back a decision whose run could not start (the thread was busy): pending again."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE tool_confirmations SET status = 'pending', decided_at = NULL "
            "WHERE id = %s AND status = %s AND result_run_id IS NULL",
            (confirmation_id, status),
        )


async def set_result(pool: Pool, confirmation_id: str, run_id: str) -> None:
    """Link the decision to the run that carries it out."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE tool_confirmations SET result_run_id = %s WHERE id = %s", (run_id, confirmation_id)
        )


async def tool_state(pool: Pool, server: str, tool: str) -> dict[str, Any] | None:
    """The registry's current view of a tool, or None when it is no longer registered."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT s.status AS server_status, t.status AS tool_status, t.status_reason, "
            "t.approved_digest FROM tool_servers s JOIN tool_definitions t ON t.server = s.name "
            "WHERE s.name = %s AND t.name = %s",
            (server, tool),
        )
        row = await cursor.fetchone()
    return dict(row) if row else None
