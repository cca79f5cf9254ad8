"""SQL of governance: sheets and their history, and what the map reads of Ariane's own tables."""

from __future__ import annotations

from typing import Any

from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from tools.database import Pool

SHEET_FIELDS = (
    "owner", "owner_email", "purpose", "audience", "risk_answers", "validated_by", "validated_on",
    "ethics_review", "status", "notes", "score_floors",
)  # fmt: skip
_JSON_FIELDS = {"risk_answers", "score_floors"}
USAGE_DAYS = 90


async def sheets(pool: Pool) -> dict[str, DictRow]:
    """Every saved sheet, by system id."""
    async with pool.connection() as conn:
        cursor = await conn.execute("SELECT * FROM governance_sheets")
        return {row["system_id"]: row for row in await cursor.fetchall()}


async def save_sheet(
    pool: Pool, system_id: str, values: dict[str, Any], actor: str, change: dict[str, Any]
) -> None:
    """Write a system's whole sheet and the event recording what changed, in one transaction."""
    columns = [name for name in SHEET_FIELDS if name in values]
    params = {name: Jsonb(values[name]) if name in _JSON_FIELDS else values[name] for name in columns}
    assignments = ", ".join(f"{name} = EXCLUDED.{name}" for name in columns)
    async with pool.connection() as conn, conn.transaction():
        await conn.execute(
            f"""
            INSERT INTO governance_sheets (system_id, {", ".join(columns)}, updated_by, updated_at)
            VALUES (%(system_id)s, {", ".join(f"%({name})s" for name in columns)}, %(actor)s, now())
            ON CONFLICT (system_id) DO UPDATE SET {assignments}, updated_by = EXCLUDED.updated_by,
                updated_at = now()
            """,
            {**params, "system_id": system_id, "actor": actor},
        )
        await conn.execute(
            "INSERT INTO governance_events (system_id, actor, kind, detail) VALUES (%s, %s, 'sheet', %s)",
            (system_id, actor, Jsonb(change)),
        )


async def add_event(pool: Pool, system_id: str, actor: str, kind: str, detail: dict[str, Any]) -> None:
    """Record something that happened to a system."""
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO governance_events (system_id, actor, kind, detail) VALUES (%s, %s, %s, %s)",
            (system_id, actor, kind, Jsonb(detail)),
        )


async def events(pool: Pool, system_id: str, limit: int = 200) -> list[DictRow]:
    """A system's recorded events, newest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT at, actor, kind, detail FROM governance_events WHERE system_id = %s "
            "ORDER BY at DESC, id DESC LIMIT %s",
            (system_id, limit),
        )
        return await cursor.fetchall()


async def assistant_versions(pool: Pool, assistant_id: str) -> list[DictRow]:
    """An assistant's versions (who saved each, when), newest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            SELECT v.version, v.created_at AS at, coalesce(u.email, '') AS actor, v.name, v.data_class
            FROM assistant_versions v LEFT JOIN users u ON u.id = v.created_by
            WHERE v.assistant_id = %s ORDER BY v.version DESC
            """,
            (assistant_id,),
        )
        return await cursor.fetchall()


async def policy_versions(pool: Pool) -> list[DictRow]:
    """Saved versions of the model policy, newest first (version 0 is the shipped file)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT version, created_at AS at, author_email AS actor, comment "
            "FROM gateway_policy_versions ORDER BY version DESC"
        )
        return await cursor.fetchall()


async def robots(pool: Pool) -> list[DictRow]:
    """Robots as stored (their spec and version)."""
    async with pool.connection() as conn:
        cursor = await conn.execute("SELECT id, spec, version, updated_at FROM robots ORDER BY id")
        return await cursor.fetchall()


async def tool_servers(pool: Pool) -> list[DictRow]:
    """Registered tool servers with their number of tools."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            SELECT s.name, s.transport, s.status, s.registered_by, s.approved_by, s.approved_at,
                   s.server_info, s.created_at, count(t.name) AS tools
            FROM tool_servers s LEFT JOIN tool_definitions t ON t.server = s.name
            GROUP BY s.name ORDER BY s.transport = 'builtin' DESC, s.name
            """
        )
        return await cursor.fetchall()


async def table_exists(pool: Pool, name: str) -> bool:
    """True when a table of that name exists (a module whose migration has run)."""
    async with pool.connection() as conn:
        cursor = await conn.execute("SELECT to_regclass(%s) IS NOT NULL AS present", (name,))
        row = await cursor.fetchone()
    return bool(row and row["present"])


async def assistant_usage(pool: Pool) -> list[DictRow]:
    """Chat runs of the last days per assistant, service and job category (people counted once)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            SELECT coalesce(r.assistant_id, 'ariane') AS system, u.service, u.job_category,
                   count(*) AS requests, count(DISTINCT r.user_id) AS people
            FROM runs r JOIN users u ON u.id = r.user_id
            WHERE r.created_at > now() - make_interval(days => %s)
            GROUP BY 1, 2, 3
            """,
            (USAGE_DAYS,),
        )
        return await cursor.fetchall()


async def model_usage(pool: Pool) -> list[DictRow]:
    """Gateway requests of the last days per model used, service and job category."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            SELECT used_model AS system, service, job_category,
                   count(*) AS requests, count(DISTINCT caller_id) AS people
            FROM gateway_usage
            WHERE used_model IS NOT NULL AND at > now() - make_interval(days => %s)
            GROUP BY 1, 2, 3
            """,
            (USAGE_DAYS,),
        )
        return await cursor.fetchall()


async def people(pool: Pool) -> list[DictRow]:
    """The people Ariane knows (signed in at least once): address, name and roles."""
    async with pool.connection() as conn:
        cursor = await conn.execute("SELECT email, display_name, roles FROM users ORDER BY email")
        return await cursor.fetchall()
