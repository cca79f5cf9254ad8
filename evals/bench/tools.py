"""Tool-call latency of `get_transcript` and `search_documents`, in memory and over streamable HTTP.

The tenant runs in process (ASGI), so "Graph" here is msgraph-sdk plus the local tenant's handling; the
time spent awaiting it is measured inside the tool servers (`GraphClock`) and subtracted to give the
tools' own cost: MCP protocol, argument validation, token lookup, parsing, result building, the client's
check of the structured result against the output schema, and for HTTP the loopback round trip through
uvicorn. The reference is `tools/list` in memory, the protocol's floor; `tools/list` over HTTP is the
floor of the HTTP transport.

Series, for each tool and transport (`mem` in memory, `http` over streamable HTTP), in milliseconds:
`total` (the call as the client sees it), `Graph` (time awaiting Graph during that call), `excl. Graph`
(their difference, per call). `client check` is the MCP client's own jsonschema validation of one result
against the tool's output schema (SDK behaviour, part of every `total`), timed alone.
Targets (issue 3): p50 excl. Graph under 1 ms in memory and under 3 ms over HTTP.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import httpx2
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult
from starlette.applications import Starlette
from starlette.routing import Mount

from evals.bench.stats import Report, Series, percentile
from tools.m365 import GraphClock
from tools.mcp_common import NOW_META, USER_TOKEN_META, CallerSource
from tools.mcp_common.embedded import embedded_tool_host
from tools.mcp_common.hosting import ToolHost
from tools.tenant.app import create_tenant_app
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ROUNDS = 400
WARMUP = 40
USER = "claire.dubois@chru-exemple.fr"
CALLS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "get_transcript": ("meetings", "get_transcript", {"meeting": "evt-ag-dtnib-2025-06-19", "limit": 50}),
    "search_documents": ("documents", "search_documents", {"query": "astreinte récupération", "top": 5}),
}
TARGET_MS = {"mem": 1.0, "http": 3.0}
REFERENCE = "tools/list mem (reference)"


@dataclass
class Calls:
    """Per-call samples of one tool over one transport (milliseconds)."""

    totals: list[float] = field(default_factory=list)
    graph: list[float] = field(default_factory=list)
    last: CallToolResult | None = None

    @property
    def own(self) -> list[float]:
        return [total - graph for total, graph in zip(self.totals, self.graph, strict=True)]

    def series(self, prefix: str) -> list[Series]:
        return [
            Series(f"{prefix} total", self.totals),
            Series(f"{prefix} Graph", self.graph),
            Series(f"{prefix} excl. Graph", self.own),
        ]


async def _measure(call: Callable[[], Awaitable[CallToolResult]], clock: GraphClock) -> Calls:
    for _ in range(WARMUP):
        await call()
    calls = Calls()
    for _ in range(ROUNDS):
        graph_before = clock.seconds
        start = time.perf_counter()
        result = await call()
        elapsed = time.perf_counter() - start
        assert not result.is_error, result
        calls.totals.append(elapsed * 1000)
        calls.graph.append((clock.seconds - graph_before) * 1000)
        calls.last = result
    return calls


async def _timed(step: Callable[[], Awaitable[object]]) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        await step()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _in_memory(
    host: ToolHost, meta: dict[str, Any], clock: GraphClock, measured: dict[str, Calls], series: list[Series]
) -> None:
    async with Client(host.servers["meetings"]) as meetings:
        await meetings.list_tools()
        series.append(Series(REFERENCE, await _timed(meetings.list_tools)))
    for label, (server, tool, args) in CALLS.items():
        async with Client(host.servers[server]) as client:
            calls = await _measure(lambda c=client, t=tool, a=args: c.call_tool(t, a, meta=meta), clock)
            last = calls.last
            assert last is not None
            check = await _timed(lambda c=client, t=tool, r=last: c.session.validate_tool_result(t, r))
        measured[f"{label} mem"] = calls
        series += [*calls.series(f"{label} mem"), Series(f"{label} client check", check)]


async def _over_http(
    host: ToolHost,
    token: str,
    meta: dict[str, Any],
    clock: GraphClock,
    measured: dict[str, Calls],
    series: list[Series],
) -> None:
    port = _free_port()
    app = Starlette(routes=[Mount("/mcp", host.asgi_app())])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
            url = f"http://127.0.0.1:{port}/mcp/meetings"
            async with Client(streamable_http_client(url, http_client=http)) as meetings:
                await meetings.list_tools()
                series.append(Series("tools/list http", await _timed(meetings.list_tools)))
            for label, (name, tool, args) in CALLS.items():
                url = f"http://127.0.0.1:{port}/mcp/{name}"
                async with Client(streamable_http_client(url, http_client=http)) as client:
                    call = lambda c=client, t=tool, a=args: c.call_tool(t, a, meta={NOW_META: meta[NOW_META]})  # noqa: E731
                    calls = await _measure(call, clock)
                measured[f"{label} http"] = calls
                series += calls.series(f"{label} http")
    finally:
        server.should_exit = True
        await serving


def _verdicts(measured: dict[str, Calls]) -> dict[str, str]:
    verdicts = {}
    for key, calls in measured.items():
        target = TARGET_MS[key.rsplit(" ", 1)[1]]
        p50 = percentile(calls.own, 50)
        verdicts[key] = f"p50 {p50:.3f} ms vs < {target:g} ms: {'met' if p50 < target else 'MISSED'}"
    return verdicts


async def run() -> Report:
    with tempfile.TemporaryDirectory() as folder:
        tenant = create_tenant_app(TenantSettings(data_dir=Path(folder) / "tenant", _env_file=None))  # type: ignore[call-arg]
        provider = tenant.state.identity
        user = provider.directory.user_by_mail(USER)
        token = provider.tokens.access_token(
            user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
        )
        meta = {USER_TOKEN_META: token, NOW_META: "2026-11-28T10:00:00+01:00"}
        clock = GraphClock()
        host = embedded_tool_host(
            "http://127.0.0.1:8001",
            transport=httpx.ASGITransport(app=tenant),
            callers=CallerSource(),
            clock=clock,
        )
        series: list[Series] = []
        measured: dict[str, Calls] = {}
        async with host.running():
            await _in_memory(host, meta, clock, measured, series)
            await _over_http(host, token, meta, clock, measured, series)
    graph_share = {key: round(sum(c.graph) / sum(c.totals), 3) for key, c in measured.items()}
    return Report(
        benchmark="tools",
        description="MCP tool-call latency (tenant in process; Graph = msgraph-sdk + local tenant)",
        series=series,
        reference=REFERENCE,
        notes={
            "targets, excl. Graph (issue 3)": _verdicts(measured),
            "share of time in the Graph call": graph_share,
            "client check": "MCP client's jsonschema validation of one result (SDK), included in totals",
            "rounds": ROUNDS,
            "user": USER,
        },
    )
