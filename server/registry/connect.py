"""Reaching a registered MCP server: streamable HTTP (bearer or OAuth client credentials) or stdio.

Any SDK generation and protocol era works: the client probes the newest protocol and falls back to
the initialize handshake (2024-11-05 onwards) of older servers. Secrets live only in the spec, never
in logs or errors.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.auth.extensions.client_credentials import ClientCredentialsOAuthProvider
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken
from mcp.shared.exceptions import MCPError
from mcp.types import REQUEST_TIMEOUT, Tool
from websockets.exceptions import WebSocketException

from server.messages import MESSAGES
from server.registry.runner_client import Opened, RunnerAddress, RunnerRefusedError, runner_streams
from server.registry.schemas import Transport
from tools.i18n import Text

_MAX_PAGES = 20


@dataclass(frozen=True)
class OAuthCredentials:
    """Client credentials of an OAuth-protected server."""

    client_id: str
    client_secret: str = field(repr=False)
    issuer: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class ConnectionSpec:
    """Everything needed to open a client to one server (secrets included, never printed)."""

    transport: Transport
    url: str | None = None
    bearer: str | None = field(default=None, repr=False)
    oauth: OAuthCredentials | None = None
    command: str | None = None
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    label: str | Text = ""  # what the declaration names, in the reader's language
    runner: RunnerAddress | None = None  # stdio: started by the tool runner, not by this process
    server: str = ""  # the registered name (what the runner is asked to start)

    def describe(self) -> str | Text:
        """What to show a person: the URL or what the declaration names, never a secret."""
        return self.url or self.label or (self.command or "")


@dataclass(frozen=True)
class Probe:
    """What a server said when asked: its protocol era, identity and tools."""

    protocol_version: str
    server_info: dict[str, Any]
    tools: list[Tool]
    fingerprint: str | None = None  # of the package the runner started (stdio through the runner)


class ConnectError(Exception):
    """A server that could not be reached, timed out or misbehaved.

    `message` is a catalogue text (or the tool runner's French refusal); `str(error)` is French.
    """

    def __init__(self, code: str, message: str | Text) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


@asynccontextmanager
async def open_client(
    spec: ConnectionSpec,
    *,
    timeout: float,
    http_transport: httpx2.AsyncBaseTransport | None = None,
    opened: Opened | None = None,
) -> AsyncIterator[Client]:
    """An initialised MCP client; every request times out after `timeout` seconds.

    Raises:
        ConnectError: `server_unreachable`, `server_timeout` or `server_error` while connecting.
    """
    if spec.transport is Transport.HTTP:
        assert spec.url is not None
        headers = {"Authorization": f"Bearer {spec.bearer}"} if spec.bearer else {}
        auth = _oauth(spec.url, spec.oauth) if spec.oauth else None
        async with httpx2.AsyncClient(
            headers=headers, auth=auth, transport=http_transport, timeout=timeout
        ) as http:
            client = Client(streamable_http_client(spec.url, http_client=http), read_timeout_seconds=timeout)
            async with _entered(client, spec) as ready:
                yield ready
    elif spec.runner is not None:
        streams = runner_streams(spec.runner, spec.server, opened or Opened())
        client = Client(streams, read_timeout_seconds=timeout)
        async with _entered(client, spec) as ready:
            yield ready
    else:
        assert spec.command is not None
        params = StdioServerParameters(command=spec.command, args=list(spec.args), env=dict(spec.env))
        # The server's stderr is never quoted back to anyone (it would be an oracle for whoever wrote
        # the declaration): it is discarded.
        with open(os.devnull, "w", encoding="utf-8") as errlog:
            client = Client(stdio_client(params, errlog=errlog), read_timeout_seconds=timeout)
            async with _entered(client, spec) as ready:
                yield ready


async def probe(
    spec: ConnectionSpec, *, timeout: float, http_transport: httpx2.AsyncBaseTransport | None = None
) -> Probe:
    """Connect, initialise and list every tool, within `timeout` seconds in all.

    Raises:
        ConnectError: the server could not be reached, hung or answered with an error.
    """
    opened = Opened()
    try:
        with anyio.fail_after(timeout):
            async with open_client(
                spec, timeout=timeout, http_transport=http_transport, opened=opened
            ) as client:
                tools = await list_all_tools(client)
                info = client.server_info.model_dump(exclude_none=True) if client.server_info else {}
                return Probe(client.protocol_version, info, tools, opened.fingerprint)
    except TimeoutError:
        raise _timeout(spec, timeout) from None
    except MCPError as error:
        raise _mcp_failure(spec, error, timeout) from None


async def list_all_tools(client: Client) -> list[Tool]:
    """Every page of the server's tool list (a bounded number of pages)."""
    tools: list[Tool] = []
    cursor: str | None = None
    for _ in range(_MAX_PAGES):
        page = await client.list_tools(cursor=cursor)
        tools.extend(page.tools)
        cursor = page.next_cursor
        if not cursor:
            break
    return tools


@asynccontextmanager
async def _entered(client: Client, spec: ConnectionSpec) -> AsyncIterator[Client]:
    try:
        await client.__aenter__()
    except TimeoutError:
        raise
    except MCPError as error:
        raise _mcp_failure(spec, error, None) from None
    except RunnerRefusedError as error:
        raise ConnectError(error.code, error.detail) from None
    except (OSError, ValueError, httpx2.HTTPError, WebSocketException) as error:
        raise _unreachable(spec, error) from None
    except BaseExceptionGroup as group:  # transports raise from task groups; report the first cause
        first = _first(group)
        if isinstance(first, MCPError):
            raise _mcp_failure(spec, first, None) from None
        if isinstance(first, RunnerRefusedError):
            raise ConnectError(first.code, first.detail) from None
        raise _unreachable(spec, first) from None
    try:
        yield client
    finally:
        await client.__aexit__(None, None, None)


def _oauth(url: str, credentials: OAuthCredentials) -> ClientCredentialsOAuthProvider:
    return ClientCredentialsOAuthProvider(
        server_url=url,
        storage=_MemoryTokens(),
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        scope=credentials.scope,
        issuer=credentials.issuer,
    )


class _MemoryTokens:
    """OAuth tokens of one connection, kept in memory only."""

    def __init__(self) -> None:
        self._tokens: OAuthToken | None = None
        self._client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self._tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self._tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self._client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self._client = client_info


def _first(group: BaseExceptionGroup[Any]) -> BaseException:
    first: BaseException = group.exceptions[0]
    while isinstance(first, BaseExceptionGroup):
        first = first.exceptions[0]
    return first


def _unreachable(spec: ConnectionSpec, error: BaseException) -> ConnectError:
    # One message whatever the cause (refused, reset, closed, blocked address, exited process): the
    # details would tell a registrant what listens where, or what a process printed.
    del error
    return ConnectError(
        "server_unreachable",
        MESSAGES("registry.server_unreachable", server=spec.describe()),
    )


def _timeout(spec: ConnectionSpec, timeout: float) -> ConnectError:
    return ConnectError(
        "server_timeout",
        MESSAGES("registry.server_timeout", server=spec.describe(), seconds=f"{timeout:g}"),
    )


def _mcp_failure(spec: ConnectionSpec, error: MCPError, timeout: float | None) -> ConnectError:
    if error.code == REQUEST_TIMEOUT:
        return _timeout(spec, timeout or 0)
    return ConnectError(
        "server_error", MESSAGES("registry.server_error", server=spec.describe(), error=str(error)[:300])
    )
