"""Ariane's own tool servers in the registry: seeded as active and pinned at every start.

Their code is reviewed with Ariane's, so the definitions of the running version are the approved
ones; an administrator may still suspend one, and that survives restarts. The list is whatever the
tool host serves (`tools/mcp_common/embedded.py`), so a new built-in server needs no change here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mcp import Client

from server.registry import repository
from server.registry.checks import check_definition
from server.registry.pins import definition_of, digest
from server.registry.schemas import ServerStatus, ToolStatus, Transport
from server.registry.service import BUILTIN_RATE_PER_MINUTE, SYSTEM, RegistryService

_REVIVED = {"definition_changed", "missing"}
# Built-in servers whose actions go through an approval flow of their own (a robot launch is approved
# by a manager before it runs): their tools are not held a second time for the user's confirmation.
OWN_APPROVAL = frozenset({"robots"})


def _acts_outside(definition: dict[str, Any]) -> bool:
    """A built-in tool we ship marked destructive (sending a mail): its calls wait for confirmation.

    Built-in servers are Ariane's own code, so their annotations are ours to trust (a registered
    server's are not: its reviewer decides).
    """
    hints = definition.get("annotations") or {}
    return not hints.get("readOnlyHint", False) and bool(hints.get("destructiveHint", False))


async def seed_builtins(registry: RegistryService) -> None:
    """Record each built-in server and pin its tools as they are in this version."""
    async with registry.pool.connection() as conn:
        if not await repository.registry_exists(conn):
            return
    for name, server in registry.builtins.items():
        async with Client(server) as client:
            tools = list((await client.list_tools()).tools)
            version = client.protocol_version
            info = client.server_info.model_dump(exclude_none=True) if client.server_info else {}
        async with registry.pool.connection() as conn, conn.transaction():
            now = datetime.now(UTC)
            fields: dict[str, Any] = {"protocol_version": version, "server_info": info, "health": "ok",
                                      "health_detail": "", "health_detail_text": None, "checked_at": now,
                                      # Ariane's own code, hosted with it: it may receive any data.
                                      "hosting": "on_prem", "data_class": "health"}  # fmt: skip
            inserted = await repository.insert_server(
                conn,
                name,
                fields
                | {
                    "transport": Transport.BUILTIN,
                    "status": ServerStatus.ACTIVE,
                    "registered_by": SYSTEM,
                    "approved_by": SYSTEM,
                    "approved_at": now,
                    "inspected_by": SYSTEM,
                    "inspected_at": now,
                },
            )
            if not inserted:
                await repository.get_server(conn, name, lock=True)
                await repository.update_server(conn, name, fields)
            known = {row["name"]: row for row in await repository.tools_of(conn, name)}
            for tool in tools:
                await _pin(conn, registry, name, tool, known.pop(tool.name, None))
            for gone in known.values():
                await repository.update_tool(
                    conn, name, gone["name"], {"status": ToolStatus.SUSPENDED, "status_reason": "missing"}
                )


async def _pin(conn: repository.Conn, registry: RegistryService, server: str, tool: Any, row: Any) -> None:
    definition = definition_of(tool)
    fields: dict[str, Any] = {
        "definition": definition,
        "digest": digest(definition),
        "approved_definition": definition,
        "approved_digest": digest(definition),
        "findings": [finding.model_dump(mode="json") for finding in check_definition(definition)],
    }
    if row is None:
        fields |= {
            "status": ToolStatus.ACTIVE,
            "status_reason": "",
            "roles": [],
            "services": [],
            "assistants": [],
            # Built-in tools act as the user through Graph's own access rules. One that acts outside
            # Ariane (sending a mail) waits for the user's confirmation, unless its server builds an
            # approval into its own flow.
            "confirmation": server not in OWN_APPROVAL and _acts_outside(definition),
            "timeout_seconds": registry.config.tool_timeout,
            "rate_per_minute": BUILTIN_RATE_PER_MINUTE,
            "max_result_bytes": max(registry.config.max_result_bytes, 2_000_000),
        }
        await repository.upsert_tool(conn, server, tool.name, fields)
        return
    if row["status"] != ToolStatus.ACTIVE and row["status_reason"] in _REVIVED:
        fields |= {"status": ToolStatus.ACTIVE, "status_reason": ""}
    await repository.update_tool(conn, server, tool.name, fields)
