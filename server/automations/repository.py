"""SQL of automations and their firings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from server.work.repository import Conn
from tools.database import Pool
from tools.i18n import Text, kept

Row = dict[str, Any]
_AUTOMATION = (
    "a.id::text, a.name, a.kind, a.action, a.message, a.thread_id::text, a.model, a.status, "
    "a.robot_id, a.inputs, "
    "a.mailbox, a.filter, a.cron, a.catch_up, "
    "a.notify, a.decided_at, a.delta_link, a.last_slot, a.created_at, a.updated_at, "
    "r.spec AS robot_spec, "
    "o.id::text AS owner_id, o.email AS owner_email, o.display_name AS owner_name, "
    "o.roles AS owner_roles, o.service AS owner_service, "
    "c.id::text AS creator_id, c.email AS creator_email, c.display_name AS creator_name, "
    "p.id::text AS approver_id, p.email AS approver_email, p.display_name AS approver_name"
)
_AUTOMATION_FROM = (
    "automations a LEFT JOIN robots r ON r.id = a.robot_id JOIN users o ON o.id = a.owner_id "
    "JOIN users c ON c.id = a.created_by LEFT JOIN users p ON p.id = a.approved_by"
)
_FIRING = (
    "f.id::text, f.automation_id::text, f.key, f.origin, f.status, f.detail, f.detail_text, f.message, "
    "f.inputs, "
    "f.extraction, f.interpretation, "
    "f.approval_id::text, f.reply_sent_at, f.created_at, f.finished_at, j.id::text AS job_id, "
    "ap.status AS approval_status, j.status AS job_status"
)
_FIRING_FROM = (
    "automation_firings f LEFT JOIN approvals ap ON ap.id = f.approval_id "
    "LEFT JOIN jobs j ON j.approval_id = f.approval_id"
)


async def user_by_email(pool: Pool, email: str) -> Row | None:
    """A user Ariane has seen (signed in once), by address."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT id::text, email, display_name, roles, service FROM users "
            "WHERE lower(email) = lower(%s) ORDER BY last_seen DESC LIMIT 1",
            (email,),
        )
        return await cursor.fetchone()


async def create(pool: Pool, record: Row) -> str:
    """Insert a pending automation; its id."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "INSERT INTO automations (name, kind, action, message, model, owner_id, created_by, "
            "robot_id, inputs, mailbox, filter, cron, catch_up, notify) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id::text",
            (
                record["name"], record["kind"], record["action"], record["message"],
                record["model"], record["owner_id"],
                record["created_by"], record["robot_id"],
                Jsonb(record["inputs"]), record["mailbox"], Jsonb(record["filter"]), record["cron"],
                record["catch_up"], record["notify"],
            ),
        )  # fmt: skip
        row = await cursor.fetchone()
    assert row is not None
    return str(row["id"])


async def get(pool: Pool, automation_id: str) -> Row | None:
    """One automation with its robot, owner, creator and approver."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_AUTOMATION} FROM {_AUTOMATION_FROM} WHERE a.id = %s", (automation_id,)
        )
        return await cursor.fetchone()


async def list_all(pool: Pool, *, kind: str | None = None, status: str | None = None) -> list[Row]:
    """Automations, newest first, optionally of one kind and status."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_AUTOMATION} FROM {_AUTOMATION_FROM} "
            "WHERE (%s::text IS NULL OR a.kind = %s) AND (%s::text IS NULL OR a.status = %s) "
            "ORDER BY a.created_at DESC",
            (kind, kind, status, status),
        )
        return await cursor.fetchall()


async def update(pool: Pool, automation_id: str, changes: Row) -> None:
    """Change the given columns (name, catch_up, notify)."""
    allowed = {"name", "catch_up", "notify"}
    columns = [name for name in changes if name in allowed]
    if not columns:
        return
    sets = ", ".join(f"{name} = %s" for name in columns)
    async with pool.connection() as conn:
        await conn.execute(
            f"UPDATE automations SET {sets}, updated_at = now() WHERE id = %s",
            (*(changes[name] for name in columns), automation_id),
        )


async def set_status(pool: Pool, automation_id: str, wanted: str, allowed_from: tuple[str, ...],
                     approver_id: str | None = None) -> bool:  # fmt: skip
    """Move to `wanted` from one of `allowed_from` (an approval records who decided); False if not."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE automations SET status = %s, updated_at = now(), "
            "approved_by = coalesce(%s, approved_by), "
            "decided_at = CASE WHEN %s::uuid IS NULL THEN decided_at ELSE now() END "
            "WHERE id = %s AND status = ANY(%s)",
            (wanted, approver_id, approver_id, automation_id, list(allowed_from)),
        )
        return cursor.rowcount == 1


async def delete(pool: Pool, automation_id: str) -> bool:
    """Remove an automation and its firings (the approvals and jobs it started stay)."""
    async with pool.connection() as conn:
        cursor = await conn.execute("DELETE FROM automations WHERE id = %s", (automation_id,))
        return cursor.rowcount == 1


async def set_delta_link(conn: Conn, automation_id: str, link: str) -> None:
    """Keep the mailbox cursor (with the firings of the same round, in one transaction)."""
    await conn.execute("UPDATE automations SET delta_link = %s WHERE id = %s", (link, automation_id))


async def own_thread(conn: Conn, automation_id: str) -> str | None:
    """The conversation a `chat` automation writes in (None: none yet, or the owner deleted it).

    The automation's row stays locked until the caller's transaction ends: two firings at once open one
    conversation, not two.
    """
    cursor = await conn.execute(
        "SELECT thread_id::text AS thread_id FROM automations WHERE id = %s FOR UPDATE", (automation_id,)
    )
    row = await cursor.fetchone()
    return str(row["thread_id"]) if row and row["thread_id"] else None


async def set_thread(conn: Conn, automation_id: str, thread_id: str) -> None:
    """The conversation a `chat` automation writes in from now on."""
    await conn.execute("UPDATE automations SET thread_id = %s WHERE id = %s", (thread_id, automation_id))


async def claim_slot(conn: Conn, automation_id: str, slot: datetime, seen: datetime | None) -> bool:
    """Record `slot` as the last one handled, if no one else did since `seen`; True for the one who did."""
    cursor = await conn.execute(
        "UPDATE automations SET last_slot = %s "
        "WHERE id = %s AND last_slot IS NOT DISTINCT FROM %s AND status = 'active'",
        (slot, automation_id, seen),
    )
    return cursor.rowcount == 1


async def add_firing(conn: Conn, automation_id: str, key: str, origin: str, record: Row) -> str | None:
    """A firing for `key`, once per automation; its id, or None when that key has fired already."""
    detail, text = _detail(record.get("detail", ""))
    cursor = await conn.execute(
        "INSERT INTO automation_firings (automation_id, key, origin, status, detail, detail_text, message, "
        "inputs, finished_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, CASE WHEN %s THEN now() END) "
        "ON CONFLICT (automation_id, key) DO NOTHING RETURNING id::text",
        (
            automation_id, key, origin, record.get("status", "queued"), detail, text,
            Jsonb(record["message"]) if record.get("message") else None,
            Jsonb(record["inputs"]) if record.get("inputs") is not None else None,
            bool(record.get("finished")),
        ),
    )  # fmt: skip
    row = await cursor.fetchone()
    return str(row["id"]) if row else None


async def get_firing(pool: Pool, firing_id: str) -> Row | None:
    """One firing with its approval's and job's states."""
    async with pool.connection() as conn:
        cursor = await conn.execute(f"SELECT {_FIRING} FROM {_FIRING_FROM} WHERE f.id = %s", (firing_id,))
        return await cursor.fetchone()


async def firings_of(pool: Pool, automation_id: str, limit: int = 50) -> list[Row]:
    """An automation's firings, newest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_FIRING} FROM {_FIRING_FROM} WHERE f.automation_id = %s "
            "ORDER BY f.created_at DESC LIMIT %s",
            (automation_id, limit),
        )
        return await cursor.fetchall()


async def open_firings(pool: Pool) -> list[Row]:
    """Firings not finished yet, oldest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_FIRING} FROM {_FIRING_FROM} WHERE f.finished_at IS NULL ORDER BY f.created_at"
        )
        return await cursor.fetchall()


async def set_firing(pool: Pool, firing_id: str, status: str, detail: str | Text, *,
                     approval_id: str | None = None, finished: bool = False,
                     replied: bool = False) -> None:  # fmt: skip
    """Record a firing's progress (its approval once asked; finished; the reply sent)."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE automation_firings SET status = %s, detail = %s, detail_text = %s, "
            "approval_id = coalesce(%s, approval_id), "
            "finished_at = CASE WHEN %s THEN coalesce(finished_at, now()) ELSE finished_at END, "
            "reply_sent_at = CASE WHEN %s THEN coalesce(reply_sent_at, now()) ELSE reply_sent_at END "
            "WHERE id = %s",
            (status, *_detail(detail), approval_id, finished, replied, firing_id),
        )


async def close_firing(conn: Conn, firing_id: str, status: str, detail: str | Text) -> None:
    """Close a firing in the caller's transaction (with what it delivered)."""
    await conn.execute(
        "UPDATE automation_firings SET status = %s, detail = %s, detail_text = %s, "
        "finished_at = coalesce(finished_at, now()) WHERE id = %s",
        (status, *_detail(detail), firing_id),
    )


def _detail(detail: str | Text) -> tuple[str, Jsonb | None]:
    """A firing's detail as stored: the French sentence (read by older releases) and its id and parameters."""
    sentence, text = kept(detail)
    return sentence, Jsonb(text) if text is not None else None


async def set_extraction(pool: Pool, firing_id: str, inputs: Row, extraction: Row) -> None:
    """Keep the model's reading of the firing's mail and the inputs it gave (once, before the approval)."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE automation_firings SET inputs = %s, extraction = %s WHERE id = %s AND extraction IS NULL",
            (Jsonb(inputs), Jsonb(extraction), firing_id),
        )


async def set_interpretation(pool: Pool, firing_id: str, interpretation: Row) -> None:
    """Keep the model's interpretation of the firing's report (once, before anyone is told)."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE automation_firings SET interpretation = %s WHERE id = %s AND interpretation IS NULL",
            (Jsonb(interpretation), firing_id),
        )


async def delivered_to(pool: Pool, owner_id: str, limit: int) -> list[Row]:
    """The latest firings of the owner's message and mail automations, newest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_FIRING}, a.name AS automation_name, a.action, a.thread_id::text AS thread_id "
            f"FROM {_FIRING_FROM} JOIN automations a ON a.id = f.automation_id "
            "WHERE a.owner_id = %s AND a.action <> 'robot' ORDER BY f.created_at DESC LIMIT %s",
            (owner_id, limit),
        )
        return await cursor.fetchall()
