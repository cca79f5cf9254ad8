"""Registry use cases: register, review and approve, suspend, remove, set permissions, check health.

Every change happens in one transaction and leaves an event; a registration that fails (unreachable
server, timeout, invalid contract, taken name) leaves nothing behind.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.types import Tool

from server.auth.roles import Role
from server.auth.schemas import User
from server.errors import ApiError, ForbiddenError, NotFoundError
from server.registry import repository
from server.registry.checks import check_tools
from server.registry.connect import ConnectError, ConnectionSpec, OAuthCredentials, Probe, probe
from server.registry.pins import definition_of, digest
from server.registry.schemas import (
    CheckOut,
    Finding,
    PermissionsIn,
    RegisterIn,
    ServerOut,
    ServerStatus,
    ServerSummary,
    Severity,
    ToolStatus,
    Transport,
)
from server.registry.sealing import SecretBox
from server.registry.views import server_out
from tools.database import Pool

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


class RegistrationError(ApiError):
    """The server could not be registered: unreachable, hanging, or a contract that fails the checks."""

    status_code = 422
    code = "registration_failed"

    def __init__(self, detail: str, *, code: str, findings: list[Finding] | None = None) -> None:
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
    ) -> None:
        self.pool = pool
        self.config = config
        self.builtins = builtins
        self._box = box
        self.http_transport = http_transport

    # --- reading -------------------------------------------------------------------------------------

    async def servers(self) -> list[ServerSummary]:
        """Every server of the registry, built-in ones first."""
        async with self.pool.connection() as conn:
            rows = await repository.list_servers(conn)
        return [ServerSummary.model_validate(dict(row)) for row in rows]

    async def active_servers(self) -> dict[str, str]:
        """Servers an assistant may refer to now (approved, not suspended), by name, labelled by name."""
        return {summary.name: summary.name for summary in await self.servers() if summary.status == "active"}

    async def server(self, name: str) -> ServerOut:
        """One server with its tools, findings and diffs.

        Raises:
            NotFoundError: no such server.
        """
        async with self.pool.connection() as conn:
            row = await repository.get_server(conn, name)
            if row is None:
                raise not_found(name)
            return server_out(row, await repository.tools_of(conn, name))

    # --- registering ---------------------------------------------------------------------------------

    async def register(self, request: RegisterIn, user: User) -> ServerOut:
        """Connect, list and check the tools, then record the server as `pending_review`.

        Raises:
            ConflictError: the name is taken (409 `tool_server_exists`).
            RegistrationError: unreachable, timeout, invalid contract (422).
        """
        async with self.pool.connection() as conn:
            if await repository.get_server(conn, request.name) is not None or request.name in self.builtins:
                raise _taken(request.name)
        spec = self._spec_of_request(request)
        try:
            found = await probe(spec, timeout=self.config.connect_timeout, http_transport=self.http_transport)
        except ConnectError as error:
            raise RegistrationError(error.message, code=error.code) from None
        definitions = [definition_of(tool) for tool in found.tools]
        async with self.pool.connection() as conn, conn.transaction():
            findings = check_tools(definitions, await repository.tool_owners(conn, request.name))
            errors = [finding for finding in findings if finding.severity is Severity.ERROR]
            if errors:
                raise RegistrationError(
                    "Le contrat des outils est invalide : rien n'a été enregistré. "
                    + " ".join(f"[{e.tool or request.name}] {e.detail}" for e in errors[:3]),
                    code="invalid_tool_contract",
                    findings=errors,
                )
            if not definitions:
                raise RegistrationError("Ce serveur ne propose aucun outil.", code="no_tools")
            if not await repository.insert_server(
                conn, request.name, self._server_fields(request, found, user)
            ):
                raise _taken(request.name)
            for definition in definitions:
                await self.insert_tool(conn, request.name, definition, findings, request)
            await repository.record_event(
                conn,
                request.name,
                None,
                "registered",
                user.email,
                {"tools": [d["name"] for d in definitions]},
            )
            return server_out(
                await self.locked(conn, request.name),
                await repository.tools_of(conn, request.name),
            )

    def _spec_of_request(self, request: RegisterIn) -> ConnectionSpec:
        if request.url is not None:
            parts = urlsplit(request.url)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise ApiError("L'adresse doit être une URL http(s) complète.", code="invalid_url")
            if parts.username or parts.password:
                raise ApiError(
                    "Pas d'identifiants dans l'URL : passez le jeton par « bearer » (il sera chiffré).",
                    code="invalid_url",
                )
            oauth = request.oauth
            return ConnectionSpec(
                Transport.HTTP,
                url=request.url,
                bearer=request.bearer.get_secret_value() if request.bearer else None,
                oauth=OAuthCredentials(
                    oauth.client_id, oauth.client_secret.get_secret_value(), oauth.issuer, oauth.scope
                )
                if oauth
                else None,
            )
        try:
            words = shlex.split(request.command or "")
        except ValueError as error:
            raise ApiError(f"Ligne de commande illisible : {error}.", code="invalid_command") from None
        if not words:
            raise ApiError("La commande est vide.", code="invalid_command")
        env = {key: value.get_secret_value() for key, value in request.env.items()}
        return ConnectionSpec(Transport.STDIO, command=words[0], args=tuple(words[1:]), env=env)

    def _server_fields(self, request: RegisterIn, found: Probe, user: User) -> dict[str, Any]:
        spec = self._spec_of_request(request)
        secrets: dict[str, Any] = {}
        auth: dict[str, Any] = {"kind": "none"}
        if spec.bearer:
            secrets["bearer"], auth = spec.bearer, {"kind": "bearer"}
        if spec.oauth:
            secrets["oauth_client_secret"] = spec.oauth.client_secret
            auth = {"kind": "oauth", "client_id": spec.oauth.client_id, "issuer": spec.oauth.issuer}
            auth["scope"] = spec.oauth.scope
        if spec.env:
            secrets["env"] = dict(spec.env)
        return {
            "transport": spec.transport,
            "url": spec.url,
            "command": spec.command,
            "args": list(spec.args),
            "env_keys": sorted(spec.env),
            "auth": auth,
            "secrets": self._box.seal(secrets),
            "status": ServerStatus.PENDING_REVIEW,
            "protocol_version": found.protocol_version,
            "server_info": found.server_info,
            "health": "ok",
            "checked_at": datetime.now(UTC),
            "registered_by": user.email,
        }

    async def insert_tool(
        self, conn: repository.Conn, server: str, definition: dict[str, Any], findings: list[Finding],
        request: RegisterIn,
    ) -> None:  # fmt: skip
        """Record a tool waiting for review (flagged when its findings say so), with `request`'s rules."""
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
                "confirmation": needs_confirmation(definition),
                "timeout_seconds": limits.timeout_seconds or self.config.tool_timeout,
                "rate_per_minute": limits.rate_per_minute or self.config.rate_per_minute,
                "max_result_bytes": limits.max_result_bytes or self.config.max_result_bytes,
            },
        )

    # --- reviewing -----------------------------------------------------------------------------------

    async def approve(self, name: str, admin: User) -> ServerOut:
        """Activate the server and pin each of its tools, except flagged ones.

        Raises:
            NotFoundError: no such server.
            ForbiddenError: the administrator registered it (`self_approval`).
        """
        async with self.pool.connection() as conn, conn.transaction():
            row = await self.locked(conn, name)
            if row["registered_by"] == admin.email:
                raise ForbiddenError(
                    "Vous avez enregistré ce serveur : un autre administrateur doit l'approuver.",
                    code="self_approval",
                )
            approved = []
            for tool in await repository.tools_of(conn, name):
                if tool["status"] == ToolStatus.FLAGGED:
                    continue
                await repository.update_tool(
                    conn,
                    name,
                    tool["name"],
                    {
                        "status": ToolStatus.ACTIVE,
                        "status_reason": "",
                        "approved_definition": tool["definition"],
                        "approved_digest": tool["digest"],
                    },
                )
                approved.append(tool["name"])
            await repository.update_server(
                conn,
                name,
                {"status": ServerStatus.ACTIVE, "approved_by": admin.email, "approved_at": datetime.now(UTC)},
            )
            await repository.record_event(conn, name, None, "approved", admin.email, {"tools": approved})
            return server_out(await self.locked(conn, name), await repository.tools_of(conn, name))

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
            return server_out(await self.locked(conn, name), await repository.tools_of(conn, name))

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
                raise ConflictError(
                    "Un serveur intégré ne peut pas être retiré : suspendez-le.", code="builtin_server"
                )
            await repository.delete_server(conn, name)
            await repository.record_event(conn, name, None, "removed", user.email)

    async def set_permissions(self, name: str, change: PermissionsIn, admin: User) -> ServerOut:
        """Set who may use a server's tools (or one tool's) and how each call is handled.

        Raises:
            NotFoundError: no such server or tool.
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
            await self.locked(conn, name)
            tools = [tool["name"] for tool in await repository.tools_of(conn, name)]
            if change.tool is not None and change.tool not in tools:
                raise NotFoundError(
                    f"Le serveur « {name} » n'a pas d'outil « {change.tool} ».", code="tool_not_found"
                )
            if fields:
                for tool in [change.tool] if change.tool else tools:
                    await repository.update_tool(conn, name, tool, fields)
                await repository.record_event(
                    conn, name, change.tool, "permissions", admin.email, change.model_dump(mode="json")
                )
            return server_out(await self.locked(conn, name), await repository.tools_of(conn, name))

    # --- health and pins -----------------------------------------------------------------------------

    async def check(self, name: str, actor: str) -> CheckOut:
        """Connect now, list the tools and compare them with their pins; record the server's health.

        Raises:
            NotFoundError: no such server.
        """
        from server.registry.reconcile import check_server  # it builds on this module

        return await check_server(self, name, actor)

    async def reconcile(self, name: str, tools: list[Tool], actor: str) -> tuple[list[str], list[str]]:
        """Record the definitions a server presents; a tool whose definition left its pin is suspended.

        Returns the names of the tools suspended now and of the tools seen for the first time.
        """
        from server.registry.reconcile import reconcile_tools  # it builds on this module

        return await reconcile_tools(self, name, tools, actor)

    def spec(self, row: Any) -> ConnectionSpec:
        """How to reach a registered (not built-in) server, secrets decrypted."""
        secrets = self._box.open(row["secrets"])
        auth = row["auth"] or {}
        oauth = None
        if auth.get("kind") == "oauth":
            oauth = OAuthCredentials(
                auth["client_id"], secrets["oauth_client_secret"], auth.get("issuer"), auth.get("scope")
            )
        return ConnectionSpec(
            Transport(row["transport"]),
            url=row["url"],
            bearer=secrets.get("bearer"),
            oauth=oauth,
            command=row["command"],
            args=tuple(row["args"] or ()),
            env=secrets.get("env") or {},
        )

    async def locked(self, conn: repository.Conn, name: str) -> Any:
        """The server's row, locked until the end of the transaction.

        Raises:
            NotFoundError: no such server.
        """
        row = await repository.get_server(conn, name, lock=True)
        if row is None:
            raise not_found(name)
        return row


def needs_confirmation(definition: dict[str, Any]) -> bool:
    """Destructive or open-world tools wait for the user's confirmation, by MCP's default hints."""
    hints = definition.get("annotations") or {}
    if hints.get("readOnlyHint", False):
        return bool(hints.get("openWorldHint", True))
    return bool(hints.get("destructiveHint", True)) or bool(hints.get("openWorldHint", True))


def _may_manage(row: Any, user: User) -> None:
    if not (user.has_any(Role.AI_ADMIN) or row["registered_by"] == user.email):
        raise ForbiddenError("Seuls un administrateur IA ou l'auteur de l'enregistrement peuvent le faire.")


def not_found(name: str) -> NotFoundError:
    """The 404 of an unknown server."""
    return NotFoundError(f"Aucun serveur d'outils « {name} » dans le registre.", code="tool_server_not_found")


def _taken(name: str) -> ConflictError:
    return ConflictError(f"Le nom « {name} » est déjà pris dans le registre.", code="tool_server_exists")
