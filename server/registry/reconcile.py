"""Keeping the registry in step with what servers present: health checks and pin comparisons."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mcp import Client
from mcp.types import Tool

from server.auth.roles import Role
from server.registry import repository
from server.registry.checks import check_definition
from server.registry.connect import ConnectError, probe
from server.registry.launch import LaunchError
from server.registry.pins import definition_of, digest
from server.registry.sandbox import SandboxUnavailableError
from server.registry.schemas import CheckOut, Limits, RegisterIn, ToolStatus, Transport
from server.registry.service import RegistryService, not_found
from tools.i18n import DEFAULT_LANGUAGE, Language, Text, kept


async def check_server(
    registry: RegistryService, name: str, actor: str, language: Language = DEFAULT_LANGUAGE
) -> CheckOut:
    """Connect now, list the tools and compare them with their pins; record the server's health.

    The health's detail is stored in French and by id (shown in each reader's language), and answered
    in `language`.

    Raises:
        NotFoundError: no such server.
    """
    async with registry.pool.connection() as conn:
        row = await repository.get_server(conn, name)
    if row is None:
        raise not_found(name)
    try:
        tools = await _list(registry, name, row)
    except ConnectError as error:
        await _health(registry, name, "failing", error.message)
        detail = error.message.render(language) if isinstance(error.message, Text) else error.message
        return CheckOut(health="failing", detail=detail, suspended=[], new_tools=[])
    suspended, new = await reconcile_tools(registry, name, tools, actor)
    await _health(registry, name, "ok", "")
    return CheckOut(health="ok", detail="", suspended=suspended, new_tools=new)


async def _list(registry: RegistryService, name: str, row: Any) -> list[Tool]:
    if row["transport"] == Transport.BUILTIN:
        async with Client(registry.builtins[name]) as client:
            return list((await client.list_tools()).tools)
    try:
        spec = registry.spec(row)
    except LaunchError as error:
        raise ConnectError(error.code, error.message) from None
    except SandboxUnavailableError as error:
        raise ConnectError("sandbox_unavailable", error.text) from None
    found = await probe(spec, timeout=registry.config.connect_timeout, http_transport=registry.http_transport)
    return found.tools


async def _health(registry: RegistryService, name: str, health: str, detail: str | Text) -> None:
    sentence, text = kept(detail)
    async with registry.pool.connection() as conn:
        fields = {
            "health": health,
            "health_detail": sentence,
            "health_detail_text": text,
            "checked_at": datetime.now(UTC),
        }
        await repository.update_server(conn, name, fields)


async def reconcile_tools(
    registry: RegistryService, name: str, tools: list[Tool], actor: str
) -> tuple[list[str], list[str]]:
    """Record the definitions a server presents; a tool whose definition left its pin is suspended.

    Returns the names of the tools suspended now and of the tools seen for the first time.
    """
    suspended: list[str] = []
    new: list[str] = []
    async with registry.pool.connection() as conn, conn.transaction():
        row = await registry.locked(conn, name)
        known = {tool["name"]: tool for tool in await repository.tools_of(conn, name)}
        for tool in tools:
            definition = definition_of(tool)
            current = known.pop(tool.name, None)
            if current is None:
                new.append(tool.name)
                await registry.insert_tool(
                    conn, name, definition, check_definition(definition), _defaults(row)
                )
                await repository.record_event(conn, name, tool.name, "new_tool", actor)
            elif current["digest"] != digest(definition):
                if await _changed(conn, name, current, definition, actor):
                    suspended.append(tool.name)
        for missing in known.values():
            if missing["status"] == ToolStatus.ACTIVE:
                await repository.update_tool(
                    conn,
                    name,
                    missing["name"],
                    {"status": ToolStatus.SUSPENDED, "status_reason": "missing"},
                )
                await repository.record_event(conn, name, missing["name"], "missing", actor)
                suspended.append(missing["name"])
    return suspended, new


async def _changed(
    conn: repository.Conn, server: str, current: Any, definition: dict[str, Any], actor: str
) -> bool:
    """Record a new definition; True when it suspends an active tool."""
    findings = check_definition(definition)
    new_digest = digest(definition)
    fields: dict[str, Any] = {
        "definition": definition,
        "digest": new_digest,
        "findings": [finding.model_dump(mode="json") for finding in findings],
    }
    back_to_pin = new_digest == current["approved_digest"]
    if back_to_pin and current["status_reason"] == "definition_changed":
        fields |= {"status": ToolStatus.ACTIVE, "status_reason": ""}
    elif not back_to_pin and current["status"] == ToolStatus.ACTIVE:
        fields |= {"status": ToolStatus.SUSPENDED, "status_reason": "definition_changed"}
    await repository.update_tool(conn, server, current["name"], fields)
    suspends = fields.get("status") == ToolStatus.SUSPENDED
    await repository.record_event(
        conn, server, current["name"], "definition_changed", actor,
        {"digest": new_digest, "approved_digest": current["approved_digest"], "suspended": suspends},
    )  # fmt: skip
    return suspends


def _defaults(row: Any) -> RegisterIn:
    """Permissions for a tool a server adds later: staff only, default limits, until reviewed."""
    return RegisterIn.model_construct(
        name=row["name"], roles=[Role.STAFF], services=[], assistants=[], limits=Limits()
    )
