"""The robots server run alone: its own database pool, users identified by Ariane's API.

Mounted in Ariane, the host binds its pool and token validation once it has started; run alone,
the server owns both from its start, so it can be its own deployment.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx

from tools.database import open_pool
from tools.mcp_common import ToolFailure
from tools.mcp_common.caller import CallerSource
from tools.mcp_common.hosting import serve_transport
from tools.mcp_common.settings import ToolServerSettings
from tools.robots.access import Identify, Requester, RobotsBackend
from tools.robots.server import build_server
from tools.robots.settings import RobotsToolSettings


def api_identity(http: httpx.AsyncClient, api_url: str) -> Identify:
    """Who a token's user is, as Ariane's API says (`GET /api/me`: roles and service included)."""
    me = f"{api_url.rstrip('/')}/api/me"

    async def identify(token: str) -> Requester:
        try:
            response = await http.get(me, headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            raise ToolFailure(
                "unavailable", "Ariane est injoignable : réessayez dans quelques minutes."
            ) from exc
        if response.status_code == 401:
            raise ToolFailure(
                "unauthenticated", "Votre session n'est pas valide : reconnectez-vous à Ariane."
            )
        if response.status_code != 200:
            raise ToolFailure("unavailable", "Ariane ne peut pas vous identifier pour le moment.")
        return Requester.model_validate(response.json())

    return identify


@asynccontextmanager
async def standalone_backend(
    settings: RobotsToolSettings, *, api_transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[RobotsBackend]:
    """A backend with its own pool and API identity, closed on exit.

    Raises:
        ToolFailure: no database is configured.
    """
    if settings.database_url is None:
        raise ToolFailure("unavailable", "DATABASE_URL manque : le serveur des robots n'a pas de base.")
    pool = await open_pool(settings.database_url.get_secret_value(), max_size=settings.db_pool_max)
    try:
        async with httpx.AsyncClient(transport=api_transport, timeout=settings.timeout_seconds) as http:
            yield RobotsBackend(
                settings.approval_ttl_minutes, pool=pool, identify=api_identity(http, settings.api_url)
            )
    finally:
        await pool.close()


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
        async with standalone_backend(settings) as backend:
            server: Any = build_server(backend, callers)
            await serve_transport(
                server, args.transport, args.host or hosting.host, args.port or hosting.port
            )

    anyio.run(serve)
