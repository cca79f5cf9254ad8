"""Ariane's servers keep an idle connection open longer than its clients keep one in their pools.

Otherwise a pooled connection can be reused just as the server closes it, and the request is lost
(`Server disconnected without sending a response`): Graph calls to the local tenant and the agents'
model calls to the gateway reuse pooled connections to Ariane's own servers.
"""

from __future__ import annotations

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.live_server import serve_on_loopback

pytestmark = pytest.mark.anyio

HTTPX_POOL_SECONDS = httpx.Limits().keepalive_expiry  # what httpx keeps an idle connection, by default


def _app() -> Starlette:
    return Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))])


async def test_an_idle_connection_outlives_the_clients_pool() -> None:
    assert HTTPX_POOL_SECONDS is not None
    async with serve_on_loopback(_app()) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        async with await anyio.connect_tcp(host, int(port)) as stream:
            request = f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
            await stream.send(request)
            assert b"200 OK" in await stream.receive()
            # Past the time a client pools it (uvicorn's own default closes it right then).
            await anyio.sleep(HTTPX_POOL_SECONDS + 1)
            await stream.send(request)
            with anyio.fail_after(5):
                assert b"200 OK" in await stream.receive()  # still open: the client closes first
