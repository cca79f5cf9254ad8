"""Run several ASGI apps in one event loop, stopping all of them cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import signal
import socket
from collections.abc import AsyncIterator, Callable, Generator
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp


class PortInUseError(RuntimeError):
    """Another process already listens on the port."""


@dataclass(frozen=True)
class Site:
    """One app to serve and where."""

    name: str
    app: ASGIApp
    host: str
    port: int
    sock: socket.socket | None = None  # already listening (shared by worker processes); else bound here


class _QuietSignalsServer(uvicorn.Server):
    # One handler for all servers of the process is installed by `serve_all`; uvicorn's own would
    # re-raise the signal at exit and turn a clean stop into a KeyboardInterrupt traceback.
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def ensure_port_free(host: str, port: int) -> None:
    """Refuse early, with a clear message, when the port is taken.

    Raises:
        PortInUseError: when binding fails because the address is in use.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(f"port {port} on {host} is already in use") from exc
            raise


# How long an idle client connection is kept open. Longer than any client of Ariane's keeps one in
# its pool (httpx: 5 s; the agents' model calls and the tools' Graph calls reach Ariane's own servers)
# and than a load balancer's idle timeout (60 s on most): the client always closes first. At uvicorn's
# default, 5 s like httpx's, a request sent on a pooled connection just as the server closed it fails
# with « Server disconnected » — a Graph call or a model call lost now and then, never retried.
KEEP_ALIVE_SECONDS = 65


def _config(app: ASGIApp, host: str, port: int, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        app, host=host, port=port, log_level=log_level, lifespan="on", timeout_keep_alive=KEEP_ALIVE_SECONDS
    )


class StartupFailedError(RuntimeError):
    """A server did not start (its log says why); the others were stopped."""


async def serve_all(sites: list[Site], log_level: str, on_ready: Callable[[], None]) -> None:
    """Serve every site until a stop signal; call `on_ready` once all of them listen.

    Raises:
        StartupFailedError: when one of the servers could not start.
    """
    servers = [_QuietSignalsServer(_config(site.app, site.host, site.port, log_level)) for site in sites]
    loop = asyncio.get_running_loop()
    stop_requested = asyncio.Event()

    def stop() -> None:
        stop_requested.set()
        for server in servers:
            server.force_exit = server.should_exit  # a second Ctrl-C does not wait for open connections
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [
        asyncio.create_task(server.serve(sockets=[site.sock] if site.sock else None))
        for server, site in zip(servers, sites, strict=True)
    ]
    try:
        while not all(server.started for server in servers):
            if stop_requested.is_set():  # Ctrl-C while starting: each server finishes starting, then stops
                await asyncio.gather(*tasks)
                return
            if any(task.done() for task in tasks):  # a server failed to start: stop the others and report
                stop()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise StartupFailedError("a server could not start; its log above says why")
            await asyncio.sleep(0.05)
        # What start-up made (modules, catalogues, compiled graphs) lives as long as the process:
        # frozen out of the collector, its full passes scan only what requests leave behind — tenths
        # of a second each otherwise, paid by whichever request triggers one.
        gc.collect()
        gc.freeze()
        on_ready()
        await asyncio.gather(*tasks)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


@contextlib.asynccontextmanager
async def serving_on_free_port(app: ASGIApp, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve `app` on a free port of `host` inside the current event loop; yield its base URL.

    For tests and benchmarks that need real HTTP streaming (an in-process ASGI transport only
    delivers a response once the app has finished with it).
    """
    with socket.socket() as probe:
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    server = _QuietSignalsServer(_config(app, host, port, "warning"))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                raise StartupFailedError(f"the server could not start: {task.exception()!r}")
            await asyncio.sleep(0.02)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task
