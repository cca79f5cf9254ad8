"""Tool access of one run: MCP clients to the tool servers, acting as the caller.

Agents reach tools over the MCP protocol only. Each tool call is announced to the user
(`tool_start`/`tool_end` events with a French label) and its outcome returned as data: a tool
failure is an answer to act on, not a crash.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, RequestParamsMeta, TextContent, Tool

from tools.mcp_common import ERROR_META, NOW_META, USER_TOKEN_META

Emit = Callable[[Any, dict[str, Any]], Awaitable[None]]
CONFIRMATION_REQUIRED = "confirmation_required"
"""Code of the outcome of a call the registry held back until the user confirms it."""

LABELS = {
    "find_meeting": "Recherche de la réunion dans votre agenda…",
    "list_events": "Consultation de votre agenda…",
    "get_event": "Lecture de l'événement…",
    "get_transcript": "Lecture de la transcription…",
    "search_transcript": "Recherche dans la transcription…",
    "search_documents": "Recherche dans les documents SharePoint…",
    "read_document": "Lecture du document…",
}


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


@dataclass(frozen=True)
class HttpToolConnector:
    """Streamable HTTP to `{base_url}/mcp/{server}`, the user's token as bearer (production path)."""

    base_url: str
    transport: httpx2.AsyncBaseTransport | None = None
    timeout: float = 30.0

    @asynccontextmanager
    async def connect(self, server: str, token: str) -> AsyncIterator[Client]:
        """A client over streamable HTTP with the user's bearer token."""
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx2.AsyncClient(
            headers=headers, transport=self.transport, timeout=self.timeout
        ) as http:
            url = f"{self.base_url.rstrip('/')}/mcp/{server}"
            async with Client(streamable_http_client(url, http_client=http)) as client:
                yield client

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
        """The outcome of an MCP tool result."""
        text = " ".join(block.text for block in result.content if isinstance(block, TextContent))
        if result.is_error:
            return cls(ok=False, data={}, message=text, code=(result.meta or {}).get(ERROR_META))
        return cls(ok=True, data=dict(result.structured_content or {}), message=text)


@dataclass
class ToolBox:
    """The tool clients of one run, opened on first use and closed with the run."""

    connector: ToolConnector
    token: str
    now: datetime
    emit: Emit
    guard: ToolGuard | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    _clients: dict[str, Client] = field(default_factory=dict)
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)

    async def __aenter__(self) -> ToolBox:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    async def open(self, servers: Iterable[str]) -> None:
        """Connect to `servers` now.

        MCP clients hold task groups, which must be left by the task that entered them: LangGraph
        runs nodes in tasks of their own, so clients are opened by the run's task, before the graph.
        """
        names = list(dict.fromkeys(name.partition("/")[0] for name in servers))
        for server in self.guard.servers(servers) if self.guard else names:
            try:
                await self._client(server)
            except ToolServerUnavailableError:
                continue  # the run goes on without it; a call to it says it is unavailable

    @property
    def opened(self) -> list[str]:
        """The servers connected so far (those the run was given, once `open` ran)."""
        return list(self._clients)

    async def call(self, server: str, tool: str, arguments: dict[str, Any]) -> ToolOutcome:
        """Call `server.tool(arguments)` as the user, announcing it to them."""
        label = LABELS.get(tool, f"Appel de l'outil {tool}…")
        await self.emit("tool_start", {"tool": tool, "server": server, "label": label})
        try:
            client = await self._client(server)
        except ToolServerUnavailableError as error:
            client = None
            outcome = ToolOutcome(ok=False, data={}, message=error.message, code="unavailable")
        if client is not None:
            meta: RequestParamsMeta = {NOW_META: self.now.isoformat()} | self.connector.meta(self.token)  # type: ignore[assignment]

            def invoke() -> Awaitable[CallToolResult]:
                return client.call_tool(tool, arguments, meta=meta)

            if self.guard is not None:
                outcome = await self.guard.call(server, tool, arguments, invoke)
            else:
                outcome = ToolOutcome.of(await invoke())
        self.calls.append({"server": server, "tool": tool, "arguments": arguments, "ok": outcome.ok})
        end: dict[str, Any] = {"tool": tool, "server": server, "ok": outcome.ok, "label": label}
        if not outcome.ok:
            end["detail"] = outcome.message
        await self.emit("tool_end", end)
        return outcome

    async def whole_transcript(self, meeting: str, page_size: int = 200) -> ToolOutcome:
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
        """The tools a server offers (for the tool-calling agent)."""
        client = await self._client(server)
        tools = list((await client.list_tools()).tools)
        return await self.guard.visible(server, tools) if self.guard else tools

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
