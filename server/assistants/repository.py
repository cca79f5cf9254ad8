"""SQL of assistants and their immutable versions."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from tools.database import Pool

Row = dict[str, Any]

_VERSION_FIELDS = (
    "name, description, instructions, data_class, models, tools, workflows, knowledge, contact, "
    "starter_prompts, audience_roles, audience_services"
)
_CURRENT = f"""
    SELECT a.id, a.current_version AS version, a.builtin, a.author_id::text, a.created_at, a.updated_at,
           {", ".join(f"v.{field.strip()}" for field in _VERSION_FIELDS.split(","))},
           u.display_name AS author_name, u.email AS author_email
    FROM assistants a
    JOIN assistant_versions v ON v.assistant_id = a.id AND v.version = a.current_version
    LEFT JOIN users u ON u.id = a.author_id
    WHERE a.archived_at IS NULL
"""


async def list_current(pool: Pool) -> list[Row]:
    """Every assistant that is not archived, as its current version defines it, by name."""
    async with pool.connection() as conn:
        cursor = await conn.execute(_CURRENT + " ORDER BY a.builtin DESC, lower(v.name), a.id")
        return list(await cursor.fetchall())


async def get_current(pool: Pool, assistant_id: str) -> Row | None:
    """An assistant that is not archived, as its current version defines it."""
    async with pool.connection() as conn:
        cursor = await conn.execute(_CURRENT + " AND a.id = %s", (assistant_id,))
        return await cursor.fetchone()


async def id_taken(conn: AsyncConnection[Row], assistant_id: str) -> bool:
    """True when the id exists, archived or not (ids are never reused: runs refer to them)."""
    cursor = await conn.execute("SELECT 1 FROM assistants WHERE id = %s", (assistant_id,))
    return await cursor.fetchone() is not None


async def insert_assistant(conn: AsyncConnection[Row], assistant_id: str, author_id: str) -> None:
    """A new assistant at version 1 (its version row is inserted next, in the same transaction)."""
    await conn.execute(
        "INSERT INTO assistants (id, author_id, current_version) VALUES (%s, %s, 1)",
        (assistant_id, author_id),
    )


async def lock_current_version(conn: AsyncConnection[Row], assistant_id: str) -> int | None:
    """The current version number, row locked until commit (concurrent edits get successive numbers)."""
    cursor = await conn.execute(
        "SELECT current_version FROM assistants WHERE id = %s AND archived_at IS NULL FOR UPDATE",
        (assistant_id,),
    )
    row = await cursor.fetchone()
    return int(row["current_version"]) if row else None


async def insert_version(
    conn: AsyncConnection[Row], assistant_id: str, version: int, fields: Row, created_by: str
) -> None:
    """Record a version and make it the current one."""
    await conn.execute(
        f"INSERT INTO assistant_versions (assistant_id, version, {_VERSION_FIELDS}, created_by) "
        "VALUES (%(assistant_id)s, %(version)s, %(name)s, %(description)s, %(instructions)s, "
        "%(data_class)s, %(models)s, %(tools)s, %(workflows)s, %(knowledge)s, %(contact)s, "
        "%(starter_prompts)s, %(audience_roles)s, %(audience_services)s, %(created_by)s)",
        {**fields, "assistant_id": assistant_id, "version": version, "created_by": created_by},
    )
    await conn.execute(
        "UPDATE assistants SET current_version = %s, updated_at = now() WHERE id = %s",
        (version, assistant_id),
    )


async def archive(pool: Pool, assistant_id: str) -> None:
    """Archive an assistant: nobody may use it any more; its versions stay, as runs refer to them."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE assistants SET archived_at = now(), updated_at = now() "
            "WHERE id = %s AND archived_at IS NULL",
            (assistant_id,),
        )


async def list_versions(pool: Pool, assistant_id: str) -> list[Row]:
    """Every version of an assistant, newest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT v.version, {_VERSION_FIELDS}, v.created_at, v.created_by::text, "
            "u.display_name AS author_name, u.email AS author_email "
            "FROM assistant_versions v LEFT JOIN users u ON u.id = v.created_by "
            "WHERE v.assistant_id = %s ORDER BY v.version DESC",
            (assistant_id,),
        )
        return list(await cursor.fetchall())


async def known_services(pool: Pool) -> list[str]:
    """Services of the people seen so far, for the audience picker."""
    async with pool.connection() as conn:
        cursor = await conn.execute("SELECT DISTINCT service FROM users WHERE service <> '' ORDER BY service")
        return [row["service"] for row in await cursor.fetchall()]
