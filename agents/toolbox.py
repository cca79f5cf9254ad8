"""Tool access of one run: MCP clients to the tool servers, acting as the caller.

Agents reach tools over the MCP protocol only. Each tool call is announced to the user
(`tool_start`/`tool_end` events with a French label) and its outcome returned as data: a tool
failure is an answer to act on, not a crash.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, RequestParamsMeta, TextContent, Tool
from opentelemetry import trace
from opentelemetry.trace import SpanKind, StatusCode

from agents.mcp_validators import share_output_validators
from agents.messages import MESSAGES, run_language, say
from agents.recording import RunRecorder
from tools.mcp_common import ERROR_META, LANGUAGE_META, NOW_META, USER_TOKEN_META

logger = logging.getLogger(__name__)
share_output_validators()  # every run's sessions take the schemas compiled once (agents/mcp_validators)

_tracer = trace.get_tracer("ariane.agents")

Emit = Callable[[Any, dict[str, Any]], Awaitable[None]]
CONFIRMATION_REQUIRED = "confirmation_required"
"""Code of the outcome of a call the registry held back until the user confirms it."""


def tool_label(tool: str) -> str:
    """What a tool card says while the tool works, in the run's language."""
    return say(f"tool.{tool}") if f"tool.{tool}" in MESSAGES.entries else say("tool.other", tool=tool)


class ToolConnector(Protocol):
    """Opens an MCP client to a named tool server on behalf of a user."""

    def connect(self, server: str, token: str) -> AbstractAsyncContextManager[Client]:
        """An MCP client to `server`, identifying the user by `token`."""
        ...

    def meta(self, token: str) -> dict[str, Any]:
        """Request `_meta` entries this connector needs to identify the user."""
        ...


class ToolServerUnavailableError(Exception):
    """A connector could not reach a tool server; the message is French, for the user."""

    def __init__(self, server: str, message: str) -> None:
        super().__init__(message)
        self.server = server
        self.message = message


class ToolGuard(Protocol):
    """What the tool registry decides for one run: the servers and tools it may use, how calls go."""

    def servers(self, requested: Iterable[str]) -> list[str]:
        """The servers to open for a run that asks for `requested` (servers or `server/tool`)."""
        ...

    async def visible(self, server: str, tools: list[Tool]) -> list[Tool]:
        """The tools of `server` this run may see (allowed, and still as approved)."""
        ...

    async def call(
        self,
        server: str,
        tool: str,
        arguments: dict[str, Any],
        invoke: Callable[[], Awaitable[CallToolResult]],
    ) -> ToolOutcome:
        """Run `invoke` within the tool's permissions and limits, or say why not."""
        ...


class SharedTransport(httpx2.AsyncBaseTransport):
    """One connection pool for the clients of every run: closing a client leaves the pool open.

    An HTTP client of its own per run and server cost 20 ms of CPU each (its TLS context loads the
    certificate bundle, even for plain HTTP on loopback) and a new connection; the pool is closed by
    whoever made it, at shutdown.
    """

    def __init__(self, inner: httpx2.AsyncBaseTransport | None = None) -> None:
        self.inner = inner or httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send through the shared pool."""
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Nothing: a run's client closing must not close the pool the others use."""

    async def shutdown(self) -> None:
        """Close the pool (at shutdown)."""
        await self.inner.aclose()


@dataclass(frozen=True)
class HttpToolConnector:
    """Streamable HTTP to `{base_url}/mcp/{server}`, the user's token as bearer (production path)."""

    base_url: str
    transport: httpx2.AsyncBaseTransport | None = None
    timeout: float = 30.0
    shared: SharedTransport = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shared", SharedTransport(self.transport))

    @asynccontextmanager
    async def connect(self, server: str, token: str) -> AsyncIterator[Client]:
        """A client over streamable HTTP with the user's bearer token (each request carries it)."""
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx2.AsyncClient(headers=headers, transport=self.shared, timeout=self.timeout) as http:
            url = f"{self.base_url.rstrip('/')}/mcp/{server}"
            async with Client(streamable_http_client(url, http_client=http)) as client:
                yield client

    async def aclose(self) -> None:
        """Close the shared connection pool."""
        await self.shared.shutdown()

    def meta(self, token: str) -> dict[str, Any]:
        """Nothing: the bearer header identifies the user."""
        return {}


@dataclass(frozen=True)
class ToolOutcome:
    """A tool's answer: structured data when `ok`, else a French message and a stable code."""

    ok: bool
    data: dict[str, Any]
    message: str = ""
    code: str | None = None

    @classmethod
    def of(cls, result: CallToolResult) -> ToolOutcome:
        """The outcome of an MCP tool result.

        A structured result's text is that same data serialised (the MCP convention): it is not kept,
        agents read the data, and the audit trail would store a transcript twice.
        """
        text = " ".join(block.text for block in result.content if isinstance(block, TextContent))
        if result.is_error:
            return cls(ok=False, data={}, message=text, code=(result.meta or {}).get(ERROR_META))
        if result.structured_content:
            return cls(ok=True, data=dict(result.structured_content))
        return cls(ok=True, data={}, message=text)

    def record(self) -> dict[str, Any]:
        """The outcome as recorded for the audit trail and replay."""
        return {"ok": self.ok, "data": self.data, "message": self.message, "code": self.code}


def _server_of(name: str) -> str:
    return name.split("/", 1)[0]


@dataclass
class ToolBox:
    """The tool clients of one run, opened on first use and closed with the run.

    `allowed` lists the assistant's tools (`server` or `server/tool`); None allows every server.
    A call outside it is refused as a tool error, without reaching the server.
    """

    connector: ToolConnector
    token: str
    now: datetime
    emit: Emit
    allowed: Collection[str] | None = None
    guard: ToolGuard | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    recorder: RunRecorder | None = None
    _granted: set[str] = field(default_factory=set)
    _clients: dict[str, Client] = field(default_factory=dict)
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)

    async def __aenter__(self) -> ToolBox:
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self._stack.aclose()
        except* (httpx2.HTTPError, OSError) as group:
            # Ending a session (the MCP client's last request) failed: the server is going away, or
            # did not answer in time on a saturated machine. The run's calls are over and its answer
            # does not depend on it (the server forgets the session when it expires): never fail it.
            logger.warning("an MCP session was not closed cleanly: %r", group.exceptions[0])

    async def open(self, servers: Iterable[str], only: Collection[str] | None = None) -> None:
        """Connect to `servers` now (of them, to those in `only` when given).

        MCP clients hold task groups, which must be left by the task that entered them: LangGraph
        runs nodes in tasks of their own, so clients are opened by the run's task, before the graph.
        """
        names = list(dict.fromkeys(_server_of(name) for name in servers))
        if self.guard is not None:  # the registry's grant: the assistant's tools and those named for it
            names = self.guard.servers(servers)
            self._granted.update(names)
        if only is not None:
            names = [name for name in names if name in only]
        for server in names:
            try:
                await self._client(server)
            except ToolServerUnavailableError:
                continue  # the run goes on without it; a call to it says it is unavailable

    @property
    def opened(self) -> list[str]:
        """The servers connected so far (those the run was given, once `open` ran)."""
        return list(self._clients)

    def permits(self, server: str, tool: str | None = None) -> bool:
        """True when the assistant may use this server (or this tool of it)."""
        if self.allowed is None or server in self.allowed or server in self._granted:
            return True
        return tool is not None and f"{server}/{tool}" in self.allowed

    def servers(self, candidates: Iterable[str]) -> list[str]:
        """The candidate servers the assistant may use (whole or some of their tools)."""
        if self.allowed is None:
            return list(candidates)
        granted = {_server_of(name) for name in self.allowed} | self._granted
        return [server for server in candidates if server in granted]

    async def call(self, server: str, tool: str, arguments: dict[str, Any]) -> ToolOutcome:
        """Call `server.tool(arguments)` as the user, announcing it to them."""
        label = tool_label(tool)
        await self.emit("tool_start", {"tool": tool, "server": server, "label": label})
        if not self.permits(server, tool):
            outcome = ToolOutcome(
                ok=False,
                data={},
                message=say("tool.not_allowed", name=f"{server}/{tool}"),
                code="tool_not_allowed",
            )
        else:
            outcome = await self._call(server, tool, arguments)
        if self.recorder is not None:
            self.recorder.record(
                "tool_call",
                {"server": server, "tool": tool, "arguments": arguments, "outcome": outcome.record()},
            )
        self.calls.append({"server": server, "tool": tool, "arguments": arguments, "ok": outcome.ok})
        end: dict[str, Any] = {"tool": tool, "server": server, "ok": outcome.ok, "label": label}
        if not outcome.ok:
            end["detail"] = outcome.message
        await self.emit("tool_end", end)
        return outcome

    async def _call(self, server: str, tool: str, arguments: dict[str, Any]) -> ToolOutcome:
        try:
            client = await self._client(server)
        except ToolServerUnavailableError as error:
            return ToolOutcome(ok=False, data={}, message=error.message, code="unavailable")
        # The run's language goes along: a tool's refusal is shown to the user as it is.
        moment = {NOW_META: self.now.isoformat(), LANGUAGE_META: run_language()}
        meta: RequestParamsMeta = moment | self.connector.meta(self.token)  # type: ignore[assignment]
        attributes = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": tool,
            "gen_ai.tool.call.id": f"{server}.{tool}#{len(self.calls) + 1}",
            "ariane.tool.server": server,
        }

        def invoke() -> Awaitable[CallToolResult]:
            return client.call_tool(tool, arguments, meta=meta)

        with _tracer.start_as_current_span(
            f"execute_tool {tool}", kind=SpanKind.CLIENT, attributes=attributes
        ) as span:
            outcome = (
                await self.guard.call(server, tool, arguments, invoke)
                if self.guard
                else ToolOutcome.of(await invoke())
            )
            if not outcome.ok:
                span.set_status(StatusCode.ERROR, outcome.code or "tool_error")
        return outcome

    async def whole_transcript(self, meeting: str, page_size: int = 500) -> ToolOutcome:
        """Every page of a meeting's transcript as one outcome: the last page's data, all the cues.

        The first failing page's outcome is returned as is (not transcribed, not found…).
        """
        cues: list[dict[str, Any]] = []
        offset: int | None = 0
        page = ToolOutcome(ok=True, data={})
        while offset is not None:
            page = await self.call(
                "meetings", "get_transcript", {"meeting": meeting, "offset": offset, "limit": page_size}
            )
            if not page.ok:
                return page
            cues.extend(page.data["cues"])
            offset = page.data.get("next_offset")
        return ToolOutcome(ok=True, data=page.data | {"cues": cues})

    async def list_tools(self, server: str) -> list[Tool]:
        """The tools of a server the assistant may use (for the tool-calling agent)."""
        if not self.servers([server]):
            return []
        client = await self._client(server)
        tools = [tool for tool in (await client.list_tools()).tools if self.permits(server, tool.name)]
        if self.guard is not None:
            tools = await self.guard.visible(server, tools)
        if self.recorder is not None:  # the tool definitions the model was shown are part of the record
            definitions = [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools]
            self.recorder.record("tool_list", {"server": server, "tools": definitions})
        return tools

    async def _client(self, server: str) -> Client:
        if server not in self._clients:
            self._clients[server] = await self._stack.enter_async_context(
                self.connector.connect(server, self.token)
            )
        return self._clients[server]


@dataclass(frozen=True)
class InProcessToolConnector:
    """In-memory MCP sessions to server objects of this process.

    The token travels in the request `_meta`, since there is no HTTP header.
    """

    servers: dict[str, Any]

    @asynccontextmanager
    async def connect(self, server: str, token: str) -> AsyncIterator[Client]:
        """A client connected in memory to the server object."""
        async with Client(self.servers[server]) as client:
            yield client

    def meta(self, token: str) -> dict[str, Any]:
        """The user's token, under the key the tool servers read."""
        return {USER_TOKEN_META: token}
