"""All SQL of the tool registry: servers, tool definitions and pins, permissions, events."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from server.work.caches import Cache, announce

Conn = AsyncConnection[DictRow]

_SERVER_COLUMNS = set(
    "transport url command args env_keys auth secrets status protocol_version server_info health "
    "health_detail health_detail_text checked_at registered_by approved_by approved_at package "
    "package_version network hosting data_class inspected_at inspected_by requested".split()
)
_TOOL_COLUMNS = set(
    "definition digest approved_definition approved_digest status status_reason findings roles services "
    "assistants confirmation timeout_seconds rate_per_minute max_result_bytes review".split()
)
_JSON = {
    "auth", "server_info", "definition", "approved_definition", "findings", "review", "requested",
    "health_detail_text",
}  # fmt: skip


def _values(fields: dict[str, Any]) -> list[Any]:
    return [Jsonb(value) if key in _JSON and value is not None else value for key, value in fields.items()]


async def registry_exists(conn: Conn) -> bool:
    """True once the registry's migration ran (a never-migrated database is reported by `/readyz`)."""
    cursor = await conn.execute("SELECT to_regclass('tool_servers') IS NOT NULL AS present")
    row = await cursor.fetchone()
    return bool(row and row["present"])


async def insert_server(conn: Conn, name: str, fields: dict[str, Any]) -> bool:
    """Insert a server; False when the name is taken."""
    assert set(fields) <= _SERVER_COLUMNS, fields
    columns = ", ".join(["name", *fields])
    marks = ", ".join(["%s"] * (len(fields) + 1))
    cursor = await conn.execute(
        f"INSERT INTO tool_servers ({columns}) VALUES ({marks}) ON CONFLICT (name) DO NOTHING RETURNING name",
        [name, *_values(fields)],
    )
    return await cursor.fetchone() is not None


async def update_server(conn: Conn, name: str, fields: dict[str, Any]) -> None:
    """Change some columns of a server."""
    assert fields
    assert set(fields) <= _SERVER_COLUMNS, fields
    sets = ", ".join(f"{column} = %s" for column in fields)
    await conn.execute(
        f"UPDATE tool_servers SET {sets}, updated_at = now() WHERE name = %s", [*_values(fields), name]
    )


async def upsert_tool(conn: Conn, server: str, name: str, fields: dict[str, Any]) -> None:
    """Insert a tool of a server, or change the given columns of an existing one."""
    assert fields
    assert set(fields) <= _TOOL_COLUMNS, fields
    columns = ", ".join(["server", "name", *fields])
    marks = ", ".join(["%s"] * (len(fields) + 2))
    sets = ", ".join(f"{column} = excluded.{column}" for column in fields)
    await conn.execute(
        f"INSERT INTO tool_definitions ({columns}) VALUES ({marks}) "
        f"ON CONFLICT (server, name) DO UPDATE SET {sets}, updated_at = now()",
        [server, name, *_values(fields)],
    )


async def update_tool(conn: Conn, server: str, name: str, fields: dict[str, Any]) -> None:
    """Change some columns of an existing tool."""
    assert fields
    assert set(fields) <= _TOOL_COLUMNS, fields
    sets = ", ".join(f"{column} = %s" for column in fields)
    await conn.execute(
        f"UPDATE tool_definitions SET {sets}, updated_at = now() WHERE server = %s AND name = %s",
        [*_values(fields), server, name],
    )


async def get_server(conn: Conn, name: str, *, lock: bool = False) -> DictRow | None:
    """One server, optionally locked until the end of the transaction."""
    cursor = await conn.execute(
        "SELECT * FROM tool_servers WHERE name = %s" + (" FOR UPDATE" if lock else ""), (name,)
    )
    return await cursor.fetchone()


async def list_servers(conn: Conn) -> list[DictRow]:
    """Every server with counts of its tools by status."""
    cursor = await conn.execute(
        """
        SELECT s.*,
               count(t.name) AS tools,
               count(t.name) FILTER (WHERE t.status = 'active') AS active_tools,
               count(t.name) FILTER (WHERE t.status <> 'active') AS attention
        FROM tool_servers s LEFT JOIN tool_definitions t ON t.server = s.name
        GROUP BY s.name ORDER BY s.transport = 'builtin' DESC, s.name
        """
    )
    return await cursor.fetchall()


async def tools_of(conn: Conn, server: str) -> list[DictRow]:
    """The tools of a server, by name."""
    cursor = await conn.execute("SELECT * FROM tool_definitions WHERE server = %s ORDER BY name", (server,))
    return await cursor.fetchall()


async def tool_owners(conn: Conn, except_server: str) -> dict[str, str]:
    """Tool name → server, for the tools of every other server."""
    cursor = await conn.execute(
        "SELECT name, server FROM tool_definitions WHERE server <> %s", (except_server,)
    )
    return {row["name"]: row["server"] for row in await cursor.fetchall()}


async def delete_tool(conn: Conn, server: str, name: str) -> None:
    """Forget one tool of a server (a re-inspection no longer lists it)."""
    await conn.execute("DELETE FROM tool_definitions WHERE server = %s AND name = %s", (server, name))


async def delete_server(conn: Conn, name: str) -> bool:
    """Remove a server and its tools; False when there was none."""
    cursor = await conn.execute("DELETE FROM tool_servers WHERE name = %s RETURNING name", (name,))
    return await cursor.fetchone() is not None


async def usable_tools(conn: Conn) -> list[DictRow]:
    """Active tools of active servers, with their server's transport."""
    cursor = await conn.execute(
        """
        SELECT t.*, s.transport, s.hosting, s.data_class
        FROM tool_definitions t JOIN tool_servers s ON s.name = t.server
        WHERE s.status = 'active' AND t.status = 'active' AND t.approved_digest IS NOT NULL
        ORDER BY t.server, t.name
        """
    )
    return await cursor.fetchall()


async def record_event(
    conn: Conn, server: str, tool: str | None, kind: str, actor: str, detail: dict[str, Any] | None = None
) -> None:
    """Append one event to the registry's log (registration, approval, suspension, removal…).

    Every change of the registry records one: it is also announced to every process, whose runs then
    read their grants again before their next tool call (sent when the transaction commits).
    """
    await conn.execute(
        "INSERT INTO tool_registry_events (server, tool, kind, actor, detail) VALUES (%s, %s, %s, %s, %s)",
        (server, tool, kind, actor, Jsonb(detail or {})),
    )
    await announce(conn, Cache.REGISTRY, server)


async def events_of(conn: Conn, server: str, limit: int = 50) -> list[DictRow]:
    """The newest events of a server."""
    cursor = await conn.execute(
        "SELECT server, tool, kind, actor, detail, at FROM tool_registry_events WHERE server = %s "
        "ORDER BY id DESC LIMIT %s",
        (server, limit),
    )
    return await cursor.fetchall()
