"""`--workers N`: several processes answer on one port; a dead one is replaced; a stop stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

from tests.tcp_postgres import free_port

REPO = Path(__file__).resolve().parents[3]

# A site whose answer is the pid of the process that served it; FAIL_START makes its start-up fail.
_SERVER = """
import os, sys
from server.cli import workers
from server.cli.serving import Site

workers.STARTUP_GRACE_SECONDS = 1.0


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        await receive()
        if os.environ.get("FAIL_START"):
            await send({"type": "lifespan.startup.failed", "message": "database unreachable"})
            return
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(os.getpid()).encode()})


workers.serve_workers(
    Site("test", app, "127.0.0.1", int(sys.argv[1])), 2, "warning", lambda: print("ready", flush=True)
)
print("stopped", flush=True)
"""


@contextmanager
def _served(port: int, **env: str) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(port)],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            for child in psutil.Process(proc.pid).children():
                child.kill()
            proc.kill()
        proc.communicate(timeout=10)


def _pids_answering(port: int, want: int, deadline: float = 30.0) -> set[int]:
    """Pids seen over fresh connections until `want` distinct ones answered (or the deadline)."""
    seen: set[int] = set()
    until = time.monotonic() + deadline
    while len(seen) < want and time.monotonic() < until:
        try:
            with httpx.Client(limits=httpx.Limits(max_keepalive_connections=0), timeout=5) as client:
                seen.add(int(client.get(f"http://127.0.0.1:{port}/").text))
        except httpx.TransportError:
            time.sleep(0.05)  # not listening yet
    return seen


def test_two_workers_share_the_port_and_a_dead_one_is_replaced() -> None:
    port = free_port()
    with _served(port) as proc:
        pids = _pids_answering(port, 2)
        workers = {child.pid for child in psutil.Process(proc.pid).children()}
        assert len(pids) == 2
        assert pids == workers

        time.sleep(1.2)  # past the start-up grace: a death now is a crash, not a failed start
        victim = min(pids)
        os.kill(victim, signal.SIGKILL)
        until = time.monotonic() + 20
        while time.monotonic() < until:
            current = {child.pid for child in psutil.Process(proc.pid).children()}
            if len(current) == 2 and victim not in current:
                break
            time.sleep(0.05)
        assert len(current) == 2
        assert victim not in current
        assert _pids_answering(port, 2) == current  # the new worker answers too

        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert out.count("ready") >= 1
    assert out.strip().endswith("stopped")
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie" for pid in current)


def test_workers_that_cannot_start_stop_the_whole_server() -> None:
    with _served(free_port(), FAIL_START="1") as proc:
        _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert "could not start" in err
