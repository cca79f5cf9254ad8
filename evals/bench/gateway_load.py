"""Helpers of the gateway benchmark: server subprocesses on loopback and a closed-loop load generator."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def process(
    args: list[str], env: dict[str, str], ready_url: str, timeout: float = 90.0
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server subprocess and wait until `ready_url` answers; stop it (SIGINT, then kill) at exit."""
    (REPO / "evals" / "reports").mkdir(exist_ok=True)
    # One log per server (named by the port it answers on): a later server of the same command must
    # not overwrite the log of an earlier one, whose errors a benchmark reports.
    port = urlsplit(ready_url).port
    log = open(REPO / "evals" / "reports" / f"bench-{Path(args[0]).name}-{len(args)}-{port}.log", "wb")
    proc = subprocess.Popen(args, env=child_env(env), cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{args[0]} exited early ({proc.returncode}); see {log.name}")
            if _answers(ready_url):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{args[0]} not ready after {timeout:.0f}s; see {log.name}")
            time.sleep(0.2)
        yield proc
    finally:
        proc.send_signal(2)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """This process's environment plus `extra`, for a child server (passed on, not read as settings)."""
    return {**os.environ, **extra}  # noqa: TID251


def _answers(url: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status < 500)
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


def upstream_command(port: int, delay: float) -> list[str]:
    code = (
        "import uvicorn; from tests.fakes.openai_upstream import FakeOpenAIUpstream; "
        f"uvicorn.run(FakeOpenAIUpstream(delay={delay}, record=False).app, host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False)"
    )
    return [sys.executable, "-c", code]


@dataclass
class Run:
    """Latencies (ms) and wall time of one closed-loop run."""

    latencies_ms: list[float]
    seconds: float
    errors: int

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


async def closed_loop(
    url: str, body: bytes, headers: dict[str, str], concurrency: int, total: int, *, stream: bool = False
) -> Run:
    """`concurrency` workers sending `total` requests back to back; latency = full answer (or first byte
    when `stream`, which measures time to first token)."""
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    latencies: list[float] = []
    errors = 0
    remaining = total
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0:
                remaining -= 1
                start = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    if stream:
                        await response.content.readany()
                        first = time.perf_counter()
                        await response.read()
                    else:
                        await response.read()
                        first = time.perf_counter()
                    if response.status != 200:
                        errors += 1
                        continue
                latencies.append((first - start) * 1000)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - began
    return Run(latencies, seconds, errors)
