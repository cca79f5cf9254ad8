"""A third-party MCP server over streamable HTTP, to register in Ariane (tests only).

One read-only tool, `lookup_badge`; each call is counted, so that a test can tell how many calls
reached the server and how many Ariane held back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from starlette.applications import Starlette
from starlette.routing import Route

BADGE_QUESTION = "Quel est l'état du badge 42 ?"


@dataclass
class BadgeServer:
    """The server and the badges it was asked about."""

    asked: list[str] = field(default_factory=list)

    @property
    def app(self) -> Starlette:
        """The ASGI app (`/mcp`); its lifespan runs the MCP session manager."""
        server: MCPServer = MCPServer("badges-http")

        @server.tool()
        def lookup_badge(badge: str) -> str:
            """Donne l'état d'un badge d'accès à partir de son numéro."""
            self.asked.append(badge)
            return f"Badge {badge} : actif"

        manager = StreamableHTTPSessionManager(
            app=server._lowlevel_server, stateless=True, json_response=True
        )

        @asynccontextmanager
        async def lifespan(_: Starlette) -> AsyncIterator[None]:
            async with manager.run():
                yield

        endpoint = StreamableHTTPASGIApp(manager)
        routes = [Route("/mcp", endpoint, methods=["GET", "POST", "DELETE"])]
        return Starlette(routes=routes, lifespan=lifespan)
