"""SQL of robot definition changes waiting for their two approvals (owner service and security officer)."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from tools.database import Pool

Row = dict[str, Any]
_CHANGE = (
    "id::text, robot_id, spec, digest, proposed_by, status, owner_approved_by, security_approved_by, "
    "rejected_by, reason, created_at, decided_at"
)


async def propose(pool: Pool, robot_id: str, spec: dict[str, Any], digest: str, proposer: str) -> Row:
    """Record a proposed definition; an earlier pending proposal for the robot is superseded."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute(
            "UPDATE robot_changes SET status = 'superseded', decided_at = now() "
            "WHERE robot_id = %s AND status = 'pending'",
            (robot_id,),
        )
        cursor = await conn.execute(
            f"INSERT INTO robot_changes (robot_id, spec, digest, proposed_by) VALUES (%s, %s, %s, %s) "
            f"RETURNING {_CHANGE}",
            (robot_id, Jsonb(spec), digest, proposer),
        )
        row = await cursor.fetchone()
    assert row is not None
    return row


async def get(pool: Pool, change_id: str) -> Row | None:
    """One change."""
    async with pool.connection() as conn:
        cursor = await conn.execute(f"SELECT {_CHANGE} FROM robot_changes WHERE id = %s", (change_id,))
        return await cursor.fetchone()


async def of_robot(pool: Pool, robot_id: str, limit: int = 50) -> list[Row]:
    """A robot's changes, newest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_CHANGE} FROM robot_changes WHERE robot_id = %s ORDER BY created_at DESC LIMIT %s",
            (robot_id, limit),
        )
        return await cursor.fetchall()


async def pending(pool: Pool, limit: int = 200) -> list[Row]:
    """Changes waiting for a decision, oldest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_CHANGE} FROM robot_changes WHERE status = 'pending' ORDER BY created_at LIMIT %s",
            (limit,),
        )
        return await cursor.fetchall()


async def approve(pool: Pool, change_id: str, slot: str, approver: str) -> Row | None:
    """Fill one approval slot (`owner` or `security`) of a pending change.

    Once both are filled, the definition becomes the robot's (its version goes up) in the same
    transaction. None: not pending, or the slot is taken.
    """
    column = {"owner": "owner_approved_by", "security": "security_approved_by"}[slot]
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            f"UPDATE robot_changes SET {column} = %s WHERE id = %s AND status = 'pending' "
            f"AND {column} IS NULL RETURNING {_CHANGE}",
            (approver, change_id),
        )
        row = await cursor.fetchone()
        if row is None or not (row["owner_approved_by"] and row["security_approved_by"]):
            return row
        await conn.execute(
            "INSERT INTO robots (id, spec, updated_by) VALUES (%s, %s, %s) "
            "ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, version = robots.version + 1, "
            "updated_by = excluded.updated_by, updated_at = now()",
            (row["robot_id"], Jsonb(row["spec"]), row["proposed_by"]),
        )
        cursor = await conn.execute(
            f"UPDATE robot_changes SET status = 'active', decided_at = now() "
            f"WHERE id = %s RETURNING {_CHANGE}",
            (change_id,),
        )
        return await cursor.fetchone()


async def reject(pool: Pool, change_id: str, rejecter: str, reason: str | None) -> Row | None:
    """Reject a pending change; None when it is not pending."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE robot_changes SET status = 'rejected', rejected_by = %s, reason = %s, "
            f"decided_at = now() WHERE id = %s AND status = 'pending' RETURNING {_CHANGE}",
            (rejecter, reason, change_id),
        )
        return await cursor.fetchone()
