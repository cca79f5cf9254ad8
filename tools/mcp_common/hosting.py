"""Running a tool server alone (stdio or streamable HTTP), or mounted with others in one ASGI app."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from starlette.applications import Starlette
from starlette.routing import Route

from tools.m365 import GraphAccess, M365Settings
from tools.mcp_common.caller import CallerSource, system_clock
from tools.mcp_common.settings import ToolServerSettings

Builder = Callable[[GraphAccess, CallerSource], MCPServer[Any]]


class ToolHost:
    """Several tool servers behind one ASGI app (`/<name>` each), sharing one Graph access."""

    def __init__(
        self,
        graph: GraphAccess,
        callers: CallerSource,
        builders: dict[str, Builder],
        closers: list[Callable[[], Awaitable[None]]] | None = None,
        extra: dict[str, MCPServer[Any]] | None = None,
    ) -> None:
        self.graph = graph
        self._closers = closers or []
        self.servers = {name: build(graph, callers) for name, build in builders.items()} | (extra or {})
        # Stateless JSON responses: any replica answers any request, and a call is one HTTP round trip.
        self._managers = {
            name: StreamableHTTPSessionManager(
                app=server._lowlevel_server, stateless=True, json_response=True
            )
            for name, server in self.servers.items()
        }

    def asgi_app(self) -> Starlette:
        """The servers at `/<name>`; mount it (e.g. at `/mcp`) inside the host app."""
        routes = [
            Route(f"/{name}", StreamableHTTPASGIApp(manager), methods=["GET", "POST", "DELETE"])
            for name, manager in self._managers.items()
        ]
        return Starlette(routes=routes)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the session managers (their task groups serve the requests); close Graph access after."""
        async with AsyncExitStack() as stack:
            stack.push_async_callback(self.graph.aclose)
            for close in self._closers:
                stack.push_async_callback(close)
            for manager in self._managers.values():
                await stack.enter_async_context(manager.run())
            yield


def embedded_m365_settings(tenant_url: str) -> M365Settings:
    """`ARIANE_M365_*` settings, reaching the embedded tenant at `tenant_url` unless told otherwise."""
    settings = M365Settings()
    if "tenant_url" not in settings.model_fields_set:
        settings = settings.model_copy(update={"tenant_url": tenant_url})
    return settings


def run_cli(
    name: str, build: Builder, argv: list[str] | None = None, settings: ToolServerSettings | None = None
) -> None:
    """`python -m tools.<name> --transport stdio|http [--host H] [--port P]`.

    `settings`: the `ARIANE_MCP_*` settings the caller read to build its server (read here otherwise).
    """
    parser = argparse.ArgumentParser(
        prog=f"python -m tools.{name}", description=f"Serveur MCP « {name} » d'Ariane"
    )
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    parser.add_argument("--host", default=None, help="interface (ARIANE_MCP_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (ARIANE_MCP_PORT)")
    args = parser.parse_args(argv)
    settings = settings or ToolServerSettings()
    fixed_now = settings.now
    # A default user only for stdio, where the server is started for one user; over HTTP every
    # request must carry its own token, or anyone reaching the port would act as that user.
    default_token = settings.user_token.get_secret_value() if settings.user_token else None
    callers = CallerSource(
        clock=(lambda: fixed_now) if fixed_now else system_clock,
        default_token=default_token if args.transport == "stdio" else None,
    )

    async def serve() -> None:
        graph = GraphAccess(M365Settings())
        try:
            await serve_transport(build(graph, callers), args.transport, args.host or settings.host,
                                  args.port or settings.port)  # fmt: skip
        finally:
            await graph.aclose()

    anyio.run(serve)


async def serve_transport(server: MCPServer[Any], transport: str, host: str, port: int) -> None:
    """Serve `server` over stdio, or over stateless streamable HTTP at `http://host:port/mcp/<name>`.

    The path is the one Ariane mounts it at, so a connector reaches `{base_url}/mcp/<name>` on
    Ariane or on the server's own deployment alike.
    """
    if transport == "stdio":
        await server.run_stdio_async()
    else:
        await server.run_streamable_http_async(
            host=host,
            port=port,
            streamable_http_path=f"/mcp/{server.name}",
            stateless_http=True,
            json_response=True,
        )
