"""Several worker processes serving one site on one listening socket, under a supervising parent.

One Python process serves one core. A replica given several (a VM, a large pod) runs `--workers N`:
the parent binds the port once, forks the workers (each its own event loop, pools and caches: the
gateway's shared state — policy, keys, quotas, metering, idempotency — is in PostgreSQL already), and
the kernel hands each new connection to whichever worker accepts it first. The parent serves nothing:
it forwards a stop to the workers, replaces a worker that died while serving, and stops everything when
one could not even start (a configuration or database problem every new worker would meet again).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import replace

from server.cli.serving import Site, StartupFailedError, serve_all

logger = logging.getLogger(__name__)

# A worker that exits sooner than this after its start is taken as unable to start, not as crashed.
STARTUP_GRACE_SECONDS = 10.0
_BACKLOG = 2048


def listening_socket(host: str, port: int) -> socket.socket:
    """The site's socket, bound and listening before any worker exists, inherited by all of them."""
    # IPPROTO_TCP named, not left at 0: asyncio sets TCP_NODELAY on accepted connections only when the
    # listening socket says TCP, and without it each answer waits ≈ 40 ms for the client's delayed ACK.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(_BACKLOG)
    sock.set_inheritable(True)
    return sock


def serve_workers(site: Site, workers: int, log_level: str, on_ready: Callable[[], None]) -> None:
    """Serve `site` with `workers` processes until SIGINT/SIGTERM (one: in this process, no parent).

    Raises:
        StartupFailedError: a worker exited before it had served for `STARTUP_GRACE_SECONDS`.
    """
    if workers <= 1:
        asyncio.run(serve_all([site], log_level, on_ready))
        return
    supervisor = _Supervisor(replace(site, sock=listening_socket(site.host, site.port)), log_level, on_ready)
    previous = {sig: signal.signal(sig, supervisor.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        supervisor.run(workers)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        supervisor.site.sock.close()  # type: ignore[union-attr]


class _Supervisor:
    def __init__(self, site: Site, log_level: str, on_ready: Callable[[], None]) -> None:
        self.site = site
        self._log_level = log_level
        self._on_ready = on_ready
        self._children: dict[int, tuple[int, float]] = {}  # pid -> (worker number, start time)
        self._stopping = False

    def run(self, workers: int) -> None:
        for number in range(workers):
            self._start(number)
        failed = False
        while self._children:
            pid, status = os.wait()
            number, started = self._children.pop(pid)
            if self._stopping:
                continue
            if time.monotonic() - started < STARTUP_GRACE_SECONDS:
                logger.error("worker %d of %s could not start (%s); stopping", number, self.site.name, status)
                failed = True
                self.stop()
            else:
                logger.error("worker %d of %s died (%s); starting a new one", number, self.site.name, status)
                self._start(number)
        if failed:
            raise StartupFailedError(f"a worker of {self.site.name} could not start; its log above says why")

    def stop(self, _signum: int = signal.SIGTERM, _frame: object = None) -> None:
        self._stopping = True
        for pid in self._children:
            _signal(pid, signal.SIGTERM)

    def _start(self, number: int) -> None:
        pid = os.fork()
        if pid:
            self._children[pid] = (number, time.monotonic())
            return
        # The worker: its own process group, so that a terminal's Ctrl-C reaches the parent only (which
        # passes a single stop on; two would skip waiting for open connections).
        os.setpgid(0, 0)
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        code = 0
        try:
            announce = self._on_ready if number == 0 else lambda: None
            asyncio.run(serve_all([self.site], self._log_level, announce))
        except BaseException:
            logger.exception("worker %d of %s stopped on an error", number, self.site.name)
            code = 1
        os._exit(code)  # never the parent's exit handlers (its embedded database, its sockets)


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass  # already gone; os.wait() collects it
