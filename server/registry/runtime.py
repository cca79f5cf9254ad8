"""The registry at run time: which tools a run gets, and the limits every call goes through.

`RegistryRuntime.for_turn` computes the grant of a run (user's roles and service, the assistant)
from the active, approved tools; `RegistryGuard` enforces it in the run's ToolBox (pins, confirmation,
rate limit, timeout, result size, circuit breaker); `RegisteredToolConnector` reaches registered
servers over HTTP or stdio, and Ariane's own through the connector it wraps.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import CallToolResult, TextContent, Tool
from opentelemetry import trace

from agents.assistant import AssistantProfile
from agents.messages import run_language
from agents.toolbox import CONFIRMATION_REQUIRED, ToolConnector, ToolOutcome, ToolServerUnavailableError
from agents.turn import Caller, HeldCall
from server.gateway.policy import DataClass
from server.limits import repository as limits
from server.messages import MESSAGES
from server.registry import repository
from server.registry.connect import ConnectError, open_client
from server.registry.flow import DataFlow
from server.registry.launch import LaunchError
from server.registry.pins import definition_of, digest
from server.registry.sandbox import SandboxUnavailableError
from server.registry.schemas import Transport
from server.registry.service import SYSTEM, RegistryService
from tools.database import Pool
from tools.i18n import Text

Clock = Callable[[], float]


@dataclass(frozen=True)
class ToolRule:
    """How one granted tool is called."""

    digest: str
    confirmation: bool
    timeout_seconds: float
    rate_per_minute: int
    max_result_bytes: int
    data_class: DataClass = DataClass.HEALTH
    own: bool = False


@dataclass(frozen=True)
class Grant:
    """The tools of one run: server → tool → rule."""

    tools: dict[str, dict[str, ToolRule]]

    def names(self) -> dict[str, list[str]]:
        """Server → tool names, for people and logs."""
        return {server: sorted(tools) for server, tools in self.tools.items()}


async def grant_for(
    registry: RegistryService, roles: Iterable[str], service: str, assistant: str, declared: Iterable[str]
) -> Grant:
    """The active tools a user (roles, service) may use through an assistant in a run.

    A tool is granted when its server and itself are active and approved, the user holds one of its
    roles (none listed: any), belongs to one of its services (none listed: any), and the assistant
    either declares it (`server` or `server/tool`) or is named in its permissions.
    """
    wanted = set(declared)
    held = set(roles)
    async with registry.pool.connection() as conn:
        rows = await repository.usable_tools(conn)
    tools: dict[str, dict[str, ToolRule]] = defaultdict(dict)
    for row in rows:
        if row["roles"] and not held & set(row["roles"]):
            continue
        if row["services"] and service not in row["services"]:
            continue
        named = assistant in row["assistants"]
        if row["assistants"] and not named:
            continue
        if not (named or row["server"] in wanted or f"{row['server']}/{row['name']}" in wanted):
            continue
        tools[row["server"]][row["name"]] = ToolRule(
            digest=row["approved_digest"],
            confirmation=row["confirmation"],
            timeout_seconds=row["timeout_seconds"],
            rate_per_minute=row["rate_per_minute"],
            max_result_bytes=row["max_result_bytes"],
            data_class=DataClass(row["data_class"]),
            own=row["transport"] == Transport.BUILTIN,
        )
    return Grant(dict(tools))


@dataclass
class RateLimiter:
    """Calls per minute per user and tool over a sliding window, counted in PostgreSQL.

    Every replica counts into the same window (N replicas do not allow N times the rate). Calls are
    stamped with this machine's clock: replicas' clocks are assumed in step (NTP).
    """

    pool: Pool
    clock: Clock = time.time

    async def allow(self, user: str, server: str, tool: str, per_minute: int) -> bool:
        """Count a call, unless `per_minute` calls were made in the last 60 seconds."""
        return await limits.take(self.pool, f"{user}|{server}|{tool}", per_minute, 60.0, self.clock())


@dataclass
class CircuitBreaker:
    """After `failures` failures in a row a server is left alone for `seconds`, then tried again.

    Kept per replica on purpose: what it records is how a server answers *this* replica (its
    network path, its connections); a replica cut off from a server must not make the others stop
    calling it, and each replica learns of a server that is down after `failures` calls of its own.
    """

    failures: int = 3
    seconds: float = 60.0
    clock: Clock = time.monotonic
    _count: dict[str, int] = field(default_factory=dict)
    _opened: dict[str, float] = field(default_factory=dict)

    def wait(self, server: str) -> float:
        """Seconds before `server` may be tried again (0: closed, or half-open for one try)."""
        opened = self._opened.get(server)
        if opened is None:
            return 0.0
        return max(0.0, self.seconds - (self.clock() - opened))

    def failed(self, server: str) -> None:
        """Count a failure; open the breaker at the threshold (again at once when half-open)."""
        self._count[server] = self._count.get(server, 0) + 1
        if self._count[server] >= self.failures:
            self._opened[server] = self.clock()

    def succeeded(self, server: str) -> None:
        """Close the breaker."""
        self._count.pop(server, None)
        self._opened.pop(server, None)


@dataclass
class RegistryRuntime:
    """Process-wide runtime of the registry: grants per run, rate limits, circuit breakers.

    `generation` counts the registry changes this process heard of (`changed`, called by the
    notices of `server/work/caches.py`): a run whose grant is older reads it again before its next
    tool call, so that a tool suspended or a permission withdrawn on any replica stops runs in
    progress on every replica.
    """

    registry: RegistryService
    limiter: RateLimiter
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    generation: int = 0

    def changed(self, _server: str | None = None) -> None:
        """The registry changed: grants made before are out of date."""
        self.generation += 1

    async def for_turn(
        self, caller: Caller, assistant: AssistantProfile, confirmed: HeldCall | None = None
    ) -> RegistryGuard:
        """The guard of one run: the caller's grant through this assistant (and a confirmed call)."""

        async def grant() -> Grant:
            return await grant_for(self.registry, caller.roles, caller.service, assistant.id, assistant.tools)

        generation = self.generation  # before reading: a change during the read makes it out of date
        flow = DataFlow(DataClass(assistant.data_class))
        return RegistryGuard(await grant(), self, caller.id, confirmed, flow, grant, generation)

    async def allowed_tools(self, caller: Caller, assistant: AssistantProfile) -> dict[str, list[str]]:
        """Server → tool names a run of `caller` through `assistant` gets (for the chat, the assistants)."""
        grant = await grant_for(self.registry, caller.roles, caller.service, assistant.id, assistant.tools)
        return grant.names()


@dataclass
class RegistryGuard:
    """Enforces one run's grant in its ToolBox."""

    grant: Grant
    runtime: RegistryRuntime
    user_id: str
    # The one held call the user confirmed: it may pass the confirmation rule once, nothing else may.
    confirmed: HeldCall | None = None
    flow: DataFlow = field(default_factory=lambda: DataFlow(DataClass.INTERNAL))
    regrant: Callable[[], Awaitable[Grant]] | None = None
    generation: int = 0

    async def _current(self) -> Grant:
        """The grant, read again when the registry changed since it was."""
        if self.regrant is not None and self.generation != self.runtime.generation:
            generation = self.runtime.generation
            self.grant, self.generation = await self.regrant(), generation
        return self.grant

    def servers(self, requested: Iterable[str]) -> list[str]:
        """Every granted server (the grant already took the assistant's tools into account)."""
        return list(self.grant.tools)

    async def visible(self, server: str, tools: list[Tool]) -> list[Tool]:
        """Granted tools still as approved; a changed definition is recorded and suspends the tool."""
        rules = (await self._current()).tools.get(server, {})
        pinned = [t for t in tools if t.name in rules and digest(definition_of(t)) == rules[t.name].digest]
        if any(t.name in rules for t in tools if t not in pinned):
            await self.runtime.registry.reconcile(server, tools, SYSTEM)
        # A server below the data the run already holds is not even offered to the model.
        reached = self.flow.current.rank
        kept = [t for t in pinned if reached <= rules[t.name].data_class.rank]
        return kept

    async def call(
        self,
        server: str,
        tool: str,
        arguments: dict[str, Any],
        invoke: Callable[[], Awaitable[CallToolResult]],
    ) -> ToolOutcome:
        """Call within the rule of the tool, or answer why not.

        The decision is told on the caller's `execute_tool` span (digest, outcome) rather than on a
        span of its own: one span fewer per tool call, nothing less for the auditor.
        """
        span = trace.get_current_span()
        span.set_attributes({"ariane.user.id": self.user_id, "ariane.tool.name": tool})
        rule = (await self._current()).tools.get(server, {}).get(tool)
        if rule is not None:
            span.set_attribute("ariane.tool.digest", rule.digest)
        outcome = await self._decide(server, tool, arguments, invoke)
        if outcome.ok and rule is not None:
            self.flow.absorb(arguments, outcome.data, own=rule.own)
        span.set_attributes({"ariane.tool.ok": outcome.ok, "ariane.tool.outcome": outcome.code or "ok"})
        return outcome

    async def _decide(
        self,
        server: str,
        tool: str,
        arguments: dict[str, Any],
        invoke: Callable[[], Awaitable[CallToolResult]],
    ) -> ToolOutcome:
        rule = self.grant.tools.get(server, {}).get(tool)
        if rule is None:
            return _refusal("tool_not_allowed", _say("registry.tool_not_allowed", tool=tool))
        refused = self.flow.refusal(server, tool, rule.data_class, arguments)
        if refused is not None:
            return _refusal("data_class_not_allowed", refused)
        if rule.confirmation and not self._confirmed(server, tool, arguments, rule):
            shown = json.dumps(arguments, ensure_ascii=False)
            held = {"server": server, "tool": tool, "arguments": arguments, "digest": rule.digest}
            return _refusal(
                CONFIRMATION_REQUIRED,
                _say("registry.confirmation_required", name=f"{server}/{tool}", arguments=shown),
                held,
            )
        breaker = self.runtime.breaker
        wait = breaker.wait(server)
        if wait > 0:
            return _refusal(
                "unavailable",
                _say("registry.breaker_open", server=server, seconds=f"{wait:.0f}"),
            )
        if not await self.runtime.limiter.allow(self.user_id, server, tool, rule.rate_per_minute):
            return _refusal(
                "rate_limited",
                _say("registry.rate_limited", limit=rule.rate_per_minute, tool=tool),
            )
        return await self._timed(server, tool, rule, invoke)

    def _confirmed(self, server: str, tool: str, arguments: dict[str, Any], rule: ToolRule) -> bool:
        """True, once, for exactly the call the user confirmed, while the tool is as it was then."""
        call = self.confirmed
        if call is None or (call.server, call.tool, call.digest) != (server, tool, rule.digest):
            return False
        if call.arguments != arguments:
            return False
        self.confirmed = None  # once
        return True

    async def _timed(
        self, server: str, tool: str, rule: ToolRule, invoke: Callable[[], Awaitable[CallToolResult]]
    ) -> ToolOutcome:
        breaker = self.runtime.breaker
        try:
            with anyio.fail_after(rule.timeout_seconds):
                result = await invoke()
        except TimeoutError:
            breaker.failed(server)
            return _refusal(
                "timeout", _say("registry.timeout", tool=tool, seconds=f"{rule.timeout_seconds:g}")
            )
        except (MCPError, OSError, httpx2.HTTPError) as error:
            breaker.failed(server)
            return _refusal("unavailable", _say("registry.failed", tool=tool, error=error))
        breaker.succeeded(server)
        size = sum(len(block.text.encode()) for block in result.content if isinstance(block, TextContent))
        if size > rule.max_result_bytes:
            return _refusal(
                "result_too_large",
                _say("registry.too_large", tool=tool, size=size, limit=rule.max_result_bytes),
            )
        return ToolOutcome.of(result)


def _say(key: str, **params: object) -> str:
    """A refusal in the language of the run the call belongs to (the guard runs inside it)."""
    return MESSAGES.text(key, run_language(), **params)


@dataclass(frozen=True)
class RegisteredToolConnector:
    """Ariane's own servers through `builtin`; registered ones by their URL or command."""

    builtin: ToolConnector
    runtime: RegistryRuntime
    http_transport: httpx2.AsyncBaseTransport | None = None

    @asynccontextmanager
    async def connect(self, server: str, token: str) -> AsyncIterator[Client]:
        """A client to `server`; the user's token only ever goes to Ariane's own servers.

        Raises:
            ToolServerUnavailableError: unknown server, breaker open, or the server cannot be reached.
        """
        registry = self.runtime.registry
        if server in registry.builtins:
            async with self.builtin.connect(server, token) as client:
                yield client
            return
        async with registry.pool.connection() as conn:
            row = await repository.get_server(conn, server)
        language = run_language()  # the message is shown to the run's user, in the tool card
        if row is None:
            raise ToolServerUnavailableError(server, _say("registry.runtime_unknown", server=server))
        breaker = self.runtime.breaker
        if breaker.wait(server) > 0:
            raise ToolServerUnavailableError(server, _say("registry.runtime_set_aside", server=server))
        try:
            spec = registry.spec(row)
        except LaunchError as error:
            raise ToolServerUnavailableError(server, error.message.render(language)) from None
        except SandboxUnavailableError as error:
            raise ToolServerUnavailableError(server, error.text.render(language)) from None
        try:
            opened = open_client(
                spec,
                timeout=registry.config.connect_timeout,
                http_transport=self.http_transport or registry.http_transport,
            )
            client = await opened.__aenter__()
        except ConnectError as error:
            breaker.failed(server)
            message = error.message.render(language) if isinstance(error.message, Text) else error.message
            raise ToolServerUnavailableError(server, message) from None
        try:
            yield client
        finally:
            await opened.__aexit__(None, None, None)

    def meta(self, token: str) -> dict[str, Any]:
        """What the wrapped connector sends to identify the user."""
        return self.builtin.meta(token)

    async def aclose(self) -> None:
        """Close the wrapped connector's shared connections (at shutdown)."""
        close = getattr(self.builtin, "aclose", None)
        if close is not None:
            await close()


def _refusal(code: str, message: str, data: dict[str, Any] | None = None) -> ToolOutcome:
    return ToolOutcome(ok=False, data=data or {}, message=message, code=code)
