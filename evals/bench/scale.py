"""Chat turns with one and with two `ariane serve` replicas (separate processes) around one PostgreSQL.

An `ariane worker` runs beside them (periodic tasks, the work queue), as in a deployment. The model
is the scripted one, instant, over real HTTP; the local tenant runs as its own process. Each replica's
database pool is sized for the load (`POOL_MAX`), as a deployment would set `ARIANE_DB_POOL_MAX`.
Clients spread their conversations over the replicas (as a load balancer would) and measure, per
turn, the time to the first server-sent event and to `done`; throughput is turns per second of wall
time. On this machine (2 cores shared by everything: replicas, PostgreSQL, tenant, model, clients)
the ratio says where it saturates rather than how a cluster scales.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evals.bench.chat_turns import MESSAGE, USER, bench_settings
from evals.bench.stats import Report, Series, percentile
from evals.scripted_model import ScriptedChatModel
from server.cli.main import database
from server.cli.serving import serving_on_free_port
from tools.tenant.app import build_identity_provider
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ARIANE = [sys.executable, "-c", "from server.cli import main; main()"]
LOADS = ((10, 3), (100, 1))  # (concurrent conversations, turns each)
WARMUP_TURNS = 10
POOL_MAX = 25  # per replica: 2 replicas, the worker and the tenant stay under PostgreSQL's 100


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Load:
    """One measured load: times to first event and to done (ms), errors, turns per second."""

    first_event_ms: list[float]
    done_ms: list[float]
    errors: dict[str, int]
    turns_per_second: float


async def _turn(
    client: httpx.AsyncClient, url: str, thread: str, headers: dict[str, str]
) -> tuple[float, float]:
    start = time.perf_counter()
    first = None
    last: dict[str, Any] = {}
    error: dict[str, Any] = {}
    async with client.stream(
        "POST", f"{url}/api/threads/{thread}/runs", json={"message": MESSAGE}, headers=headers
    ) as response:
        response.raise_for_status()
        async for line in response.aiter_lines():
            if first is None and line.startswith("event: "):
                first = time.perf_counter()
            if line.startswith("data: "):
                last = json.loads(line.removeprefix("data: "))
                error = last if "code" in last and "detail" in last else error
    if first is None or last.get("status") != "done":
        raise RuntimeError(f"turn ended {last.get('status')}: {error.get('code')} {error.get('detail', '')}")
    end = time.perf_counter()
    return (first - start) * 1000, (end - start) * 1000


async def _load(urls: list[str], headers: dict[str, str], conversations: int, turns: int) -> Load:
    limits = httpx.Limits(max_connections=conversations + 10, max_keepalive_connections=conversations + 10)
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        threads = []
        for n in range(conversations):
            url = urls[n % len(urls)]
            created = await client.post(f"{url}/api/threads", json={}, headers=headers)
            threads.append((url, created.json()["id"]))
        first: list[float] = []
        done: list[float] = []
        errors: dict[str, int] = {}

        async def conversation(url: str, thread: str) -> None:
            for _ in range(turns):
                try:
                    to_first, to_done = await _turn(client, url, thread, headers)
                except (httpx.HTTPError, RuntimeError) as error:
                    cause = f"{type(error).__name__}: {str(error)[:160]}"
                    errors[cause] = errors.get(cause, 0) + 1
                    continue
                first.append(to_first)
                done.append(to_done)

        start = time.perf_counter()
        await asyncio.gather(*(conversation(url, thread) for url, thread in threads))
        wall = time.perf_counter() - start
    return Load(first, done, errors, round(len(done) / wall, 2))


@contextmanager
def _processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


async def _ready(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"{url}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not become ready")


async def run() -> Report:
    results: dict[str, Load] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        async with AsyncExitStack() as stack:
            model_url = await stack.enter_async_context(serving_on_free_port(ScriptedChatModel().app))
            settings = bench_settings(folder)
            ready = stack.enter_context(database(settings))
            assert ready.database_url is not None
            tenant_port = _free_port()
            env = os.environ | {  # noqa: TID251 - handed down to the child processes, not read
                "DATABASE_URL": ready.database_url.get_secret_value(),
                "ARIANE_DATA_DIR": str(folder),
                "ARIANE_WEB_DIST": str(folder / "web"),
                "ARIANE_TENANT_PORT": str(tenant_port),
                "ARIANE_GATEWAY_EMBEDDINGS_PRELOAD": "false",
                "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL": f"{model_url}/v1",
                "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__API_KEY": "sk-bench",
                "ARIANE_GATEWAY_POLICY_FILE": str(settings.gateway_policy_file),
                "ARIANE_REGISTRY_SECRET_KEY": Fernet.generate_key().decode(),
                "ARIANE_AUDIT_ANCHOR_KEY": Ed25519PrivateKey.generate()
                .private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
                .decode(),
                "ARIANE_LOG_LEVEL": "warning",
                "ARIANE_DB_POOL_MAX": str(POOL_MAX),
            }
            processes = stack.enter_context(_processes())
            processes.append(
                subprocess.Popen(
                    [*ARIANE, "tenant"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
            provider = build_identity_provider(
                TenantSettings(host="127.0.0.1", port=tenant_port, data_dir=folder / "tenant")
            )
            user = provider.directory.user_by_mail(USER)
            assert user is not None
            token = provider.tokens.access_token(
                user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
            )
            headers = {"Authorization": f"Bearer {token}"}
            processes.append(
                subprocess.Popen(
                    [*ARIANE, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
            for replicas in (1, 2):
                with _processes() as serving:
                    urls = []
                    for _ in range(replicas):
                        port = _free_port()
                        serving.append(
                            subprocess.Popen(
                                [*ARIANE, "serve"],
                                env=env | {"ARIANE_PORT": str(port)},
                                stderr=subprocess.DEVNULL,
                            )
                        )
                        urls.append(f"http://127.0.0.1:{port}")
                    for url in urls:
                        await _ready(url)
                    await _load(urls, headers, min(WARMUP_TURNS, 10), 1)
                    for conversations, turns in LOADS:
                        results[f"{replicas} replica(s), {conversations} conversations"] = await _load(
                            urls, headers, conversations, turns
                        )
    return _report(results)


def _report(results: dict[str, Load]) -> Report:
    series = [Series(f"{name}: first event", load.first_event_ms) for name, load in results.items()]
    notes: dict[str, Any] = {}
    for name, load in results.items():
        notes[f"{name}: turns/s"] = load.turns_per_second
        notes[f"{name}: errors"] = sum(load.errors.values())
        if load.errors:
            notes[f"{name}: error causes"] = load.errors
        for label, samples in (("first event", load.first_event_ms), ("done", load.done_ms)):
            if samples:
                notes[f"{name}: {label} p50/p95/p99 ms"] = [
                    round(percentile(samples, q)) for q in (50, 95, 99)
                ]
    for conversations, _ in LOADS:
        one = results[f"1 replica(s), {conversations} conversations"].turns_per_second
        two = results[f"2 replica(s), {conversations} conversations"].turns_per_second
        notes[f"throughput ratio 2/1 replicas at {conversations} conversations"] = round(two / one, 2)
    return Report(
        benchmark="scale",
        description="chat turns through 1 and 2 `ariane serve` processes (scripted model, this machine)",
        series=series,
        reference=series[1].name,
        notes=notes,
    )
