"""`serve_all`, which `ariane up` runs: Ctrl-C stops every server cleanly, even while one is starting."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from server.cli.serving import Site, serve_all


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _app(starting: asyncio.Event | None = None, stopped: list[str] | None = None) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if starting is not None:
            await starting.wait()  # a slow start-up (indexing, migrations) that Ctrl-C interrupts
        yield
        if stopped is not None:
            stopped.append("shut down")

    return Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))], lifespan=lifespan)


async def _ctrl_c_while_the_second_server_starts() -> tuple[list[str], list[str]]:
    fast_port = _free_port()
    starting, stopped, ready = asyncio.Event(), [], []
    sites = [
        Site("fast", _app(), "127.0.0.1", fast_port),
        Site("slow", _app(starting, stopped), "127.0.0.1", _free_port()),
    ]
    serving = asyncio.create_task(serve_all(sites, "warning", lambda: ready.append("ready")))
    async with httpx.AsyncClient() as client:
        for _ in range(200):  # the fast one listens; the slow one is still in its start-up
            with contextlib.suppress(httpx.TransportError):
                if (await client.get(f"http://127.0.0.1:{fast_port}/")).status_code == 200:
                    break
            await asyncio.sleep(0.05)
        else:  # no Ctrl-C before serve_all has its handler: it would interrupt the test run itself
            raise AssertionError("the first server never answered")
    signal.raise_signal(signal.SIGINT)
    await asyncio.sleep(0.1)
    starting.set()  # the slow start-up ends after the Ctrl-C
    await asyncio.wait_for(serving, timeout=20)  # returns, no StartupFailedError
    return ready, stopped


def test_ctrl_c_during_start_up_stops_every_server_without_an_error() -> None:
    ready, stopped = asyncio.run(_ctrl_c_while_the_second_server_starts())

    assert ready == []  # never announced as running
    assert stopped == ["shut down"]  # the server that was starting still ran its shutdown
