"""The robots server run alone: it reads the robots domain through Ariane's API, as mounted.

It holds no database connection: the catalogue, the jobs and who a token's user is come from
Ariane's API with the caller's token, so the server can be its own deployment with nothing but
the API's address.
"""

from __future__ import annotations

import argparse
from typing import Any

import anyio

from tools.mcp_common.caller import CallerSource
from tools.mcp_common.hosting import serve_transport
from tools.mcp_common.settings import ToolServerSettings
from tools.robots.access import RobotsApi, RobotsBackend
from tools.robots.server import build_server
from tools.robots.settings import RobotsToolSettings


def run(argv: list[str] | None = None) -> None:
    """`python -m tools.robots --transport stdio|http [--host H] [--port P]`."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.robots", description="Serveur MCP « robots » d'Ariane"
    )
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    parser.add_argument("--host", default=None, help="interface (ARIANE_MCP_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (ARIANE_MCP_PORT)")
    args = parser.parse_args(argv)
    hosting, settings = ToolServerSettings(), RobotsToolSettings()
    # A default user only for stdio (one user per process); over HTTP each request carries its token.
    token = hosting.user_token.get_secret_value() if hosting.user_token else None
    callers = CallerSource(default_token=token if args.transport == "stdio" else None)

    async def serve() -> None:
        api = RobotsApi(settings.api_url, timeout=settings.timeout_seconds)
        try:
            server: Any = build_server(RobotsBackend(api, settings.approval_ttl_minutes), callers)
            await serve_transport(
                server, args.transport, args.host or hosting.host, args.port or hosting.port
            )
        finally:
            await api.aclose()

    anyio.run(serve)
