"""Serve an ASGI app on a loopback port for the duration of a test (real HTTP, real streaming)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from starlette.types import ASGIApp

from server.cli.serving import serving_on_free_port


@asynccontextmanager
async def serve_on_loopback(app: ASGIApp) -> AsyncIterator[str]:
    """`app` under uvicorn on a free loopback port, stopped (bounded) when the test ends."""
    with anyio.fail_after(60):
        server = serving_on_free_port(app)
        base_url = await server.__aenter__()
    try:
        yield base_url
    finally:
        with anyio.fail_after(20):
            await server.__aexit__(None, None, None)
