"""Reaching a server by URL: streamable HTTP with a bearer token that never shows in what is printed."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
import pytest
from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from server.registry.connect import ConnectError, ConnectionSpec, probe
from server.registry.schemas import Transport

pytestmark = pytest.mark.anyio

SECRET = "jeton-secret-du-serveur"


@asynccontextmanager
async def badge_server() -> AsyncIterator[Starlette]:
    """A fake HTTP MCP server (tests only) that wants `Authorization: Bearer SECRET`."""
    server: MCPServer = MCPServer("badges-http")

    @server.tool()
    def lookup_badge(badge: str) -> str:
        """Donne l'état d'un badge d'accès."""
        return f"Badge {badge} : actif"

    manager = StreamableHTTPSessionManager(app=server._lowlevel_server, stateless=True, json_response=True)
    mcp_app = StreamableHTTPASGIApp(manager)

    class Guarded:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            headers = dict(scope["headers"])
            if headers.get(b"authorization") != f"Bearer {SECRET}".encode():
                await JSONResponse({"error": "unauthorized"}, status_code=401)(scope, receive, send)
                return
            await mcp_app(scope, receive, send)

    async with manager.run():
        yield Starlette(routes=[Route("/mcp", Guarded(), methods=["GET", "POST", "DELETE"])])


async def test_a_server_behind_a_bearer_token_is_reached_by_url():
    async with badge_server() as app:
        spec = ConnectionSpec(Transport.HTTP, url="http://badges.test/mcp", bearer=SECRET)
        found = await probe(spec, timeout=10, http_transport=httpx2.ASGITransport(app=app))

    assert [tool.name for tool in found.tools] == ["lookup_badge"]
    assert SECRET not in repr(spec)


async def test_a_wrong_token_is_a_clear_error_without_the_token():
    async with badge_server() as app:
        spec = ConnectionSpec(Transport.HTTP, url="http://badges.test/mcp", bearer="mauvais-jeton")
        with pytest.raises(ConnectError) as raised:
            await probe(spec, timeout=10, http_transport=httpx2.ASGITransport(app=app))

    assert raised.value.code in {"server_error", "server_unreachable"}
    assert "mauvais-jeton" not in str(raised.value)
