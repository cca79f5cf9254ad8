"""Registry use cases: one transaction and one event per change; a failed registration leaves nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.types import Tool

from server.auth.roles import Role
from server.auth.schemas import User
from server.egress.guard import EgressPolicy, GuardedTransport
from server.errors import ApiError, ForbiddenError, NotFoundError
from server.messages import MESSAGES
from server.registry import repository
from server.registry.connect import ConnectionSpec
from server.registry.declaration import connection_of, declaration_fields, declared, program_of
from server.registry.launch import AllowedCommand, Program
from server.registry.pins import digest
from server.registry.runner_client import RunnerAddress
from server.registry.sandbox import Sandbox
from server.registry.schemas import (
    ApproveIn,
    CheckOut,
    KeptFinding,
    PermissionsIn,
    RegisterIn,
    ServerOut,
    ServerStatus,
    ServerSummary,
    Severity,
    ToolReview,
    ToolStatus,
    Transport,
)
from server.registry.sealing import SecretBox
from server.registry.views import server_out
from tools.database import Pool
from tools.i18n import DEFAULT_LANGUAGE, Language, Text

SYSTEM = "ariane"
"""Actor of what Ariane does by itself: seeding the built-in servers, suspending a changed tool."""
BUILTIN_RATE_PER_MINUTE = 1000
"""Built-in servers are Ariane's own code, reviewed with it; their limit only stops runaway loops."""


@dataclass(frozen=True)
class RegistryConfig:
    """Timeouts and default limits, from the server's settings."""

    connect_timeout: float = 15.0
    tool_timeout: float = 30.0
    rate_per_minute: int = 30
    max_result_bytes: int = 200_000
    breaker_failures: int = 3
    breaker_seconds: float = 60.0
    allowed_commands: dict[str, AllowedCommand] = field(default_factory=dict)
    sandbox: Sandbox = field(default_factory=Sandbox)
    runner: RunnerAddress | None = None  # stdio servers started by the tool runner (`ariane runner`)
    local_stdio: bool = True  # without a runner, may this process start them? (not `ariane serve`)


class RegistrationError(ApiError):
    """The server could not be registered: unreachable, hanging, or a contract that fails the checks."""

    status_code = 422
    code = "registration_failed"

    def __init__(self, detail: str | Text, *, code: str, findings: list[KeptFinding] | None = None) -> None:
        super().__init__(detail, code=code)
        self.findings = findings or []


class ConflictError(ApiError):
    """The name is taken, or the action does not fit the server's state."""

    status_code = 409
    code = "conflict"


class RegistryService:
    """The registry of one process; built by the app's lifespan."""

    def __init__(
        self,
        pool: Pool,
        config: RegistryConfig,
        box: SecretBox,
        builtins: dict[str, MCPServer[Any]],
        http_transport: httpx2.AsyncBaseTransport | None = None,
        egress: EgressPolicy | None = None,
    ) -> None:
        self.pool = pool
        self.config = config
        self.builtins = builtins
        self._box = box
        self._inner_transport = http_transport  # tests reach in-process servers through it
        self.egress = egress or EgressPolicy()

    @property
    def http_transport(self) -> httpx2.AsyncBaseTransport:
        """A transport for one client to a registered URL, behind the SSRF guard (`server.egress`)."""
        return GuardedTransport(self.egress, self._inner_transport)

    # --- reading -------------------------------------------------------------------------------------

    async def servers(self) -> list[ServerSummary]:
        """Every server of the registry, built-in ones first."""
        async with self.pool.connection() as conn:
            rows = await repository.list_servers(conn)
        return [ServerSummary.model_validate(dict(row)) for row in rows]

    async def active_servers(self) -> dict[str, str]:
        """Servers an assistant may refer to now (approved, not suspended), by name, labelled by name."""
        return {summary.name: summary.name for summary in await self.servers() if summary.status == "active"}

    async def server(self, name: str, language: Language = DEFAULT_LANGUAGE) -> ServerOut:
        """One server with its tools, findings and diffs.

        Raises:
            NotFoundError: no such server.
        """
        async with self.pool.connection() as conn:
            row = await repository.get_server(conn, name)
            if row is None:
                raise not_found(name)
            return self.view(row, await repository.tools_of(conn, name), language)

    # --- registering ---------------------------------------------------------------------------------

    async def register(self, request: RegisterIn, user: User) -> ServerOut:
        """Record a declaration as `pending_review`: nothing is started, fetched or contacted.

        Raises:
            ConflictError: the name is taken (409 `tool_server_exists`).
            ApiError: an invalid URL, or a command administrators did not allow (`command_not_allowed`).
        """
        async with self.pool.connection() as conn:
            if await repository.get_server(conn, request.name) is not None or request.name in self.builtins:
                raise _taken(request.name)
        fields = declaration_fields(request, user, self.config.allowed_commands, self._box)
        async with self.pool.connection() as conn, conn.transaction():
            if not await repository.insert_server(conn, request.name, fields):
                raise _taken(request.name)
            await repository.record_event(
                conn, request.name, None, "registered", user.email, {"declared": declared(fields)}
            )
            return self.view(await self.locked(conn, request.name), [], user.language)

    async def insert_tool(
        self, conn: repository.Conn, server: str, definition: dict[str, Any], findings: list[KeptFinding],
        request: RegisterIn,
    ) -> None:  # fmt: skip
        """Record a tool waiting for review (flagged when its findings say so), with `request`'s rules.

        Its calls are held for confirmation until a reviewer marks it read-only: what the server says
        of itself (its annotations) decides nothing.
        """
        mine = [finding for finding in findings if finding.tool == definition["name"]]
        flagged = any(finding.severity is not Severity.WARNING for finding in mine)
        limits = request.limits
        await repository.upsert_tool(
            conn,
            server,
            definition["name"],
            {
                "definition": definition,
                "digest": digest(definition),
                "status": ToolStatus.FLAGGED if flagged else ToolStatus.PENDING_REVIEW,
                "status_reason": "findings" if flagged else "",
                "findings": [finding.model_dump(mode="json") for finding in mine],
                "roles": [str(role) for role in request.roles],
                "services": request.services,
                "assistants": request.assistants,
                "confirmation": True,
                "timeout_seconds": limits.timeout_seconds or self.config.tool_timeout,
                "rate_per_minute": limits.rate_per_minute or self.config.rate_per_minute,
                "max_result_bytes": limits.max_result_bytes or self.config.max_result_bytes,
            },
        )

    # --- reviewing -----------------------------------------------------------------------------------

    async def inspect(self, name: str, admin: User) -> ServerOut:
        """Start the reviewed declaration (in its sandbox) or reach its URL, list and check its tools.

        Raises:
            NotFoundError: no such server.
            ForbiddenError: the reviewer registered it (`self_approval`).
            ConflictError: not waiting for review, or it cannot start here (`sandbox_unavailable`,
                `package_not_installed`, `command_not_allowed`, …).
            RegistrationError: unreachable, timeout, invalid contract, no tools (422); nothing changes.
        """
        from server.registry.inspection import inspect_server  # it builds on this module

        return await inspect_server(self, name, admin)

    async def approve(self, name: str, admin: User, review: ApproveIn | None = None) -> ServerOut:
        """Activate the inspected server and pin its tools (except flagged ones) as the reviewer judged.

        A tool not marked read-only waits for the user's confirmation at every call.

        Raises:
            NotFoundError: no such server.
            ForbiddenError: the administrator registered it (`self_approval`).
            ConflictError: never inspected (`not_inspected`).
        """
        judged = review.tools if review else {}
        async with self.pool.connection() as conn, conn.transaction():
            row = await self.locked(conn, name)
            if row["registered_by"] == admin.email:
                raise ForbiddenError(
                    MESSAGES("registry.self_approval"),
                    code="self_approval",
                )
            tools = await repository.tools_of(conn, name)
            if row["inspected_at"] is None or not tools:
                raise ConflictError(
                    MESSAGES("registry.not_inspected"),
                    code="not_inspected",
                )
            unknown = sorted(set(judged) - {tool["name"] for tool in tools})
            if unknown:
                raise NotFoundError(
                    MESSAGES("registry.unknown_tools", tools=", ".join(unknown)), code="tool_not_found"
                )
            approved = []
            for tool in tools:
                if tool["status"] == ToolStatus.FLAGGED:
                    continue
                verdict = judged.get(tool["name"])
                if verdict is None:
                    verdict = ToolReview.model_validate(tool["review"]) if tool["review"] else ToolReview()
                fields: dict[str, Any] = {
                    "status": ToolStatus.ACTIVE,
                    "status_reason": "",
                    "approved_definition": tool["definition"],
                    "approved_digest": tool["digest"],
                    "review": verdict.model_dump(),
                }
                if row["transport"] != Transport.BUILTIN:
                    fields["confirmation"] = not verdict.read_only
                await repository.update_tool(conn, name, tool["name"], fields)
                approved.append(tool["name"])
            await repository.update_server(
                conn,
                name,
                {"status": ServerStatus.ACTIVE, "approved_by": admin.email, "approved_at": datetime.now(UTC)},
            )
            detail = {"tools": approved, "review": {k: v.model_dump() for k, v in judged.items()}}
            await repository.record_event(conn, name, None, "approved", admin.email, detail)
            return self.view(
                await self.locked(conn, name), await repository.tools_of(conn, name), admin.language
            )

    async def suspend(self, name: str, user: User) -> ServerOut:
        """Suspend a server: none of its tools is offered until it is approved again.

        Raises:
            NotFoundError: no such server.
            ForbiddenError: neither an administrator nor its registrant.
        """
        async with self.pool.connection() as conn, conn.transaction():
            row = await self.locked(conn, name)
            _may_manage(row, user)
            await repository.update_server(conn, name, {"status": ServerStatus.SUSPENDED})
            await repository.record_event(conn, name, None, "suspended", user.email)
            return self.view(
                await self.locked(conn, name), await repository.tools_of(conn, name), user.language
            )

    async def remove(self, name: str, user: User) -> None:
        """Remove a registered server and its tools (built-in ones can only be suspended).

        Raises:
            NotFoundError: no such server.
            ForbiddenError: neither an administrator nor its registrant.
            ConflictError: a built-in server (`builtin_server`).
        """
        async with self.pool.connection() as conn, conn.transaction():
            row = await self.locked(conn, name)
            _may_manage(row, user)
            if row["transport"] == Transport.BUILTIN:
                raise ConflictError(MESSAGES("registry.builtin_server"), code="builtin_server")
            await repository.delete_server(conn, name)
            await repository.record_event(conn, name, None, "removed", user.email)

    async def set_permissions(self, name: str, change: PermissionsIn, admin: User) -> ServerOut:
        """Set who may use a server's tools (or one tool's) and how each call is handled.

        Raises:
            NotFoundError: no such server or tool.
            ConflictError: lifting the confirmation of a tool not reviewed read-only (`not_read_only`).
        """
        fields: dict[str, Any] = {
            key: value
            for key, value in {
                "roles": [str(role) for role in change.roles] if change.roles is not None else None,
                "services": change.services,
                "assistants": change.assistants,
                "confirmation": change.confirmation,
                **change.limits.model_dump(),
            }.items()
            if value is not None
        }
        async with self.pool.connection() as conn, conn.transaction():
            row = await self.locked(conn, name)
            rows = {tool["name"]: tool for tool in await repository.tools_of(conn, name)}
            tools = list(rows)
            if change.tool is not None and change.tool not in tools:
                raise NotFoundError(
                    MESSAGES("registry.no_such_tool", server=name, tool=change.tool), code="tool_not_found"
                )
            targets = [change.tool] if change.tool else tools
            if change.confirmation is False and row["transport"] != Transport.BUILTIN:
                unread = [t for t in targets if not (rows[t]["review"] or {}).get("read_only")]
                if unread:
                    raise ConflictError(
                        MESSAGES("registry.not_read_only", tools=", ".join(unread)),
                        code="not_read_only",
                    )
            if fields:
                for tool in targets:
                    await repository.update_tool(conn, name, tool, fields)
                await repository.record_event(
                    conn, name, change.tool, "permissions", admin.email, change.model_dump(mode="json")
                )
            return self.view(
                await self.locked(conn, name), await repository.tools_of(conn, name), admin.language
            )

    # --- health and pins -----------------------------------------------------------------------------

    async def check(self, name: str, actor: str, language: Language = DEFAULT_LANGUAGE) -> CheckOut:
        """Connect now, list the tools and compare them with their pins; record the server's health.

        Raises:
            NotFoundError: no such server.
        """
        from server.registry.reconcile import check_server  # it builds on this module

        return await check_server(self, name, actor, language)

    async def reconcile(self, name: str, tools: list[Tool], actor: str) -> tuple[list[str], list[str]]:
        """Record the definitions a server presents; a tool whose definition left its pin is suspended.

        Returns the names of the tools suspended now and of the tools seen for the first time.
        """
        from server.registry.reconcile import reconcile_tools  # it builds on this module

        return await reconcile_tools(self, name, tools, actor)

    def spec(self, row: Any) -> ConnectionSpec:
        """How to reach a registered server: secrets decrypted, stdio sandboxed or via the runner.

        Raises:
            LaunchError: it cannot start here (package absent or changed, command no longer allowed,
                no runner for `ariane serve`). SandboxUnavailableError: no sandbox on this machine.
        """
        c, secrets = self.config, self._box.open(row["secrets"])
        return connection_of(row, secrets, c.allowed_commands, c.sandbox, c.runner, c.local_stdio)

    def program(self, row: Any) -> Program:
        """What a stdio declaration starts, before the sandbox (see `server.registry.launch`).

        Raises:
            LaunchError: package absent or of another version, command not (or no longer) allowed.
        """
        return program_of(row, self.config.allowed_commands)

    def view(self, row: Any, tools: list[Any], language: Language = DEFAULT_LANGUAGE) -> ServerOut:
        """The API shape of a server row and its tools."""
        return server_out(row, tools, self.config.sandbox.describe(), language)

    async def locked(self, conn: repository.Conn, name: str) -> Any:
        """The server's row, locked until the end of the transaction.

        Raises:
            NotFoundError: no such server.
        """
        row = await repository.get_server(conn, name, lock=True)
        if row is None:
            raise not_found(name)
        return row


def _may_manage(row: Any, user: User) -> None:
    if not (user.has_any(Role.AI_ADMIN) or row["registered_by"] == user.email):
        raise ForbiddenError(MESSAGES("registry.admin_or_author"))


def not_found(name: str) -> NotFoundError:
    """The 404 of an unknown server."""
    return NotFoundError(MESSAGES("registry.server_not_found", name=name), code="tool_server_not_found")


def _taken(name: str) -> ConflictError:
    return ConflictError(MESSAGES("registry.name_taken", name=name), code="tool_server_exists")
