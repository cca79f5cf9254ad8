"""Inspection: the first time a declared server is started (or its URL reached), by a reviewer's act.

A registrant's declaration (package and version, allow-listed command, or URL) is read by an
administrator other than the registrant, who then has Ariane start it — in its sandbox — and list its
tools. The tools are checked and recorded, waiting for that administrator's judgement (`approve`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from server.auth.schemas import User
from server.errors import ForbiddenError
from server.messages import MESSAGES
from server.registry import repository
from server.registry.checks import check_tools
from server.registry.connect import ConnectError, ConnectionSpec, probe
from server.registry.launch import LaunchError
from server.registry.pins import definition_of
from server.registry.sandbox import SandboxUnavailableError
from server.registry.schemas import (
    KeptFinding,
    Limits,
    RegisterIn,
    ServerOut,
    ServerStatus,
    Severity,
    Transport,
)
from server.registry.service import ConflictError, RegistrationError, RegistryService
from tools.i18n import Text


async def inspect_server(registry: RegistryService, name: str, admin: User) -> ServerOut:
    """Start or reach the server, list and check its tools, record them for the reviewer's judgement.

    Raises:
        NotFoundError, ForbiddenError, ConflictError, RegistrationError: see `RegistryService.inspect`.
    """
    async with registry.pool.connection() as conn:
        row = await registry.locked(conn, name)
    if row["registered_by"] == admin.email:
        raise ForbiddenError(
            MESSAGES("registry.self_inspection"),
            code="self_approval",
        )
    if row["transport"] == Transport.BUILTIN or row["status"] != ServerStatus.PENDING_REVIEW:
        raise ConflictError(
            MESSAGES("registry.not_pending_review"),
            code="not_pending_review",
        )
    spec = _startable(registry, row)
    try:
        found = await probe(
            spec, timeout=registry.config.connect_timeout, http_transport=registry.http_transport
        )
    except ConnectError as error:
        await _record(registry, name, admin, "inspection_failed", {"code": error.code})
        raise RegistrationError(error.message, code=error.code) from None
    definitions = [definition_of(tool) for tool in found.tools]
    async with registry.pool.connection() as conn, conn.transaction():
        row = await registry.locked(conn, name)
        findings = check_tools(definitions, await repository.tool_owners(conn, name))
        errors = [finding for finding in findings if finding.severity is Severity.ERROR]
        if errors or not definitions:
            detail = {"code": "invalid_tool_contract" if errors else "no_tools"}
            await repository.record_event(conn, name, None, "inspection_failed", admin.email, detail)
        if errors:
            raise RegistrationError(
                MESSAGES(
                    "registry.invalid_contract",
                    findings=[part for e in errors[:3] for part in (f"[{e.tool or name}]", _detail(e))],
                ),
                code="invalid_tool_contract",
                findings=errors,
            )
        if not definitions:
            raise RegistrationError(MESSAGES("registry.no_tools"), code="no_tools")
        rules = _rules_of(row)
        listed = {definition["name"] for definition in definitions}
        for stale in await repository.tools_of(conn, name):
            if stale["name"] not in listed:
                await repository.delete_tool(conn, name, stale["name"])
        for definition in definitions:
            await registry.insert_tool(conn, name, definition, findings, rules)
        info = dict(found.server_info)
        if spec.transport is Transport.STDIO and row["package"]:  # measured where it was started
            info["package_fingerprint"] = (
                found.fingerprint if spec.runner else registry.program(row).fingerprint
            )
        await repository.update_server(
            conn,
            name,
            {
                "protocol_version": found.protocol_version,
                "server_info": info,
                "health": "ok",
                "health_detail": "",
                "health_detail_text": None,
                "checked_at": datetime.now(UTC),
                "inspected_at": datetime.now(UTC),
                "inspected_by": admin.email,
            },
        )
        await repository.record_event(conn, name, None, "inspected", admin.email, {"tools": sorted(listed)})
        return registry.view(
            await registry.locked(conn, name), await repository.tools_of(conn, name), admin.language
        )


def _startable(registry: RegistryService, row: Any) -> ConnectionSpec:
    """How to start or reach the server, or a 409 saying why it cannot start here."""
    try:
        return registry.spec(row)
    except LaunchError as error:
        raise ConflictError(error.message, code=error.code) from None
    except SandboxUnavailableError as error:
        raise ConflictError(error.text, code="sandbox_unavailable") from None


def _rules_of(row: Any) -> RegisterIn:
    """The permissions the registrant asked for the server's tools (staff only, default limits else)."""
    asked = row["requested"] or {}
    return RegisterIn.model_construct(
        name=row["name"],
        roles=asked.get("roles") or ["staff"],
        services=asked.get("services") or [],
        assistants=asked.get("assistants") or [],
        limits=Limits.model_validate(asked.get("limits") or {}),
    )


async def _record(
    registry: RegistryService, name: str, admin: User, kind: str, detail: dict[str, Any]
) -> None:
    async with registry.pool.connection() as conn:
        await repository.record_event(conn, name, None, kind, admin.email, detail)


def _detail(finding: KeptFinding) -> str | Text:
    """A finding's detail as a text, to be told in the reader's language with the refusal."""
    return MESSAGES.restore(finding.text) or finding.detail
