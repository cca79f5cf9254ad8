"""Tool-call latency of `get_transcript` and `search_documents`, in memory and over streamable HTTP.

The tenant runs in process (ASGI), so "Graph" here is msgraph-sdk plus the local tenant's handling; the
time spent awaiting it is measured inside the tool servers (`GraphClock`) and subtracted to give the
tools' own cost: MCP protocol, argument validation, token lookup, parsing, result building, the client's
check of the structured result against the output schema, and for HTTP the loopback round trip through
uvicorn. The reference is `tools/list` in memory, the protocol's floor; `tools/list` over HTTP is the
floor of the HTTP transport.

`get_transcript` is measured twice: as the meetings server runs (a run's pages and searches reuse the
transcript its first call read, so repeated calls cost no Graph read) and as a run's first read (a
server keeping nothing: each call resolves the meeting and downloads its transcript through Graph).

Series, for each tool and transport (`mem` in memory, `http` over streamable HTTP), in milliseconds:
`total` (the call as the client sees it), `Graph` (time awaiting Graph during that call), `excl. Graph`
(their difference, per call). `client check` is the MCP client's own jsonschema validation of one result
against the tool's output schema (SDK behaviour, part of every `total`), timed alone.
Targets (issue 3): p50 excl. Graph under 1 ms in memory and under 3 ms over HTTP.

Side by side in the same run, blocks interleaved: `bare` is a bare MCP SDK server with the same tools'
parameters and output schemas, returning the payload Ariane's tool returned (`evals/bench/bare_mcp.py`).
Targets (issue 18): Ariane's p50 at most 1.5 times the bare server's including Graph (msgraph-sdk and the
local tenant), 1.25 times excluding it, in memory and over HTTP.
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
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.types import CallToolResult
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from evals.bench.bare_mcp import bare_server, same_contract
from evals.bench.stats import Report, Series, percentile
from tools.m365 import GraphAccess, GraphClock
from tools.mcp_common import NOW_META, USER_TOKEN_META, CallerSource
from tools.mcp_common.embedded import BUILDERS
from tools.mcp_common.hosting import Builder, ToolHost, embedded_m365_settings
from tools.meetings.server import build_server as build_meetings
from tools.meetings.service import RecentTranscripts
from tools.tenant.app import create_tenant_app
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ROUNDS = 400
WARMUP = 40
BLOCKS = 4  # Ariane's calls and the bare server's, alternated in blocks of ROUNDS // BLOCKS
USER = "claire.dubois@chru-exemple.fr"
TRANSCRIPT_ARGS = {"meeting": "evt-ag-dtnib-2025-06-19", "limit": 50}
CALLS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "get_transcript": ("meetings", "get_transcript", TRANSCRIPT_ARGS),
    # The same call as a run's first read: the meetings server keeping no transcript, so that each
    # call resolves the meeting and downloads its transcript through Graph.
    "get_transcript first read": ("meetings-first-read", "get_transcript", TRANSCRIPT_ARGS),
    "search_documents": ("documents", "search_documents", {"query": "astreinte récupération", "top": 5}),
}
TARGET_MS = {"mem": 1.0, "http": 3.0}
TARGET_TO_BARE = {"total": 1.5, "excl. Graph": 1.25}
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


Call = Callable[[], Awaitable[CallToolResult]]


@dataclass
class _Bench:
    """What both transports' measurements share: the servers, the call's metadata, what was measured."""

    host: ToolHost
    token: str
    meta: dict[str, Any]
    clock: GraphClock
    payloads: dict[str, CallToolResult] = field(default_factory=dict)  # what the bare server returns
    measured: dict[str, tuple[Calls, list[float]]] = field(default_factory=dict)
    series: list[Series] = field(default_factory=list)


async def _side_by_side(ours: Call, bare: Call, clock: GraphClock) -> tuple[Calls, list[float]]:
    """Ariane's calls (with their Graph time) and the bare server's, in alternated blocks."""
    for _ in range(WARMUP):
        await ours()
        await bare()
    calls, reference = Calls(), []
    for block in range(BLOCKS):
        for side in (ours, bare) if block % 2 == 0 else (bare, ours):
            for _ in range(ROUNDS // BLOCKS):
                graph_before = clock.seconds
                start = time.perf_counter()
                result = await side()
                elapsed = (time.perf_counter() - start) * 1000
                assert not result.is_error, result
                if side is bare:
                    reference.append(elapsed)
                    continue
                calls.totals.append(elapsed)
                calls.graph.append((clock.seconds - graph_before) * 1000)
                calls.last = result
    return calls, reference


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


async def _in_memory(bench: _Bench) -> None:
    host, meta, clock, payloads, series = bench.host, bench.meta, bench.clock, bench.payloads, bench.series
    async with Client(host.servers["meetings"]) as meetings:
        await meetings.list_tools()
        series.append(Series(REFERENCE, await _timed(meetings.list_tools)))
    for label, (server, tool, args) in CALLS.items():
        async with Client(host.servers[server]) as client, Client(bare_server(payloads)) as bare:
            await same_contract(client, bare, tool)
            payloads[tool] = await client.call_tool(tool, args, meta=meta)  # what the bare one returns
            calls, reference = await _side_by_side(
                lambda c=client, t=tool, a=args: c.call_tool(t, a, meta=meta),
                lambda b=bare, t=tool, a=args: b.call_tool(t, a),
                clock,
            )
            last = calls.last
            assert last is not None
            check = await _timed(lambda c=client, t=tool, r=last: c.session.validate_tool_result(t, r))
        bench.measured[f"{label} mem"] = (calls, reference)
        series += [
            *calls.series(f"{label} mem"),
            Series(f"{label} mem bare SDK", reference),
            Series(f"{label} client check", check),
        ]


async def _over_http(bench: _Bench) -> None:
    host, meta, clock, payloads, series = bench.host, bench.meta, bench.clock, bench.payloads, bench.series
    port = _free_port()
    # The bare server served as Ariane's are: stateless, JSON responses, by the same uvicorn.
    bare = StreamableHTTPSessionManager(
        app=bare_server(payloads)._lowlevel_server, stateless=True, json_response=True
    )
    app = Starlette(
        routes=[
            Mount("/mcp", host.asgi_app()),
            Route("/bare", StreamableHTTPASGIApp(bare), methods=["GET", "POST", "DELETE"]),
        ]
    )
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        async with (
            bare.run(),
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {bench.token}"}, timeout=30) as http,
        ):
            url = f"http://127.0.0.1:{port}/mcp/meetings"
            async with Client(streamable_http_client(url, http_client=http)) as meetings:
                await meetings.list_tools()
                series.append(Series("tools/list http", await _timed(meetings.list_tools)))
            reference_url = f"http://127.0.0.1:{port}/bare"
            for label, (name, tool, args) in CALLS.items():
                url = f"http://127.0.0.1:{port}/mcp/{name}"
                async with (
                    Client(streamable_http_client(url, http_client=http)) as client,
                    Client(streamable_http_client(reference_url, http_client=http)) as reference,
                ):
                    await same_contract(client, reference, tool)
                    calls, bare_totals = await _side_by_side(
                        lambda c=client, t=tool, a=args: c.call_tool(t, a, meta={NOW_META: meta[NOW_META]}),
                        lambda r=reference, t=tool, a=args: r.call_tool(t, a),
                        clock,
                    )
                bench.measured[f"{label} http"] = (calls, bare_totals)
                series += [*calls.series(f"{label} http"), Series(f"{label} http bare SDK", bare_totals)]
    finally:
        server.should_exit = True
        await serving


def _verdicts(measured: dict[str, tuple[Calls, list[float]]]) -> dict[str, str]:
    verdicts = {}
    for key, (calls, _) in measured.items():
        target = TARGET_MS[key.rsplit(" ", 1)[1]]
        p50 = percentile(calls.own, 50)
        verdicts[key] = f"p50 {p50:.3f} ms vs < {target:g} ms: {'met' if p50 < target else 'MISSED'}"
    return verdicts


def _against_bare(measured: dict[str, tuple[Calls, list[float]]]) -> dict[str, str]:
    """Ariane's p50 over the bare SDK server's, including and excluding the Graph call."""
    verdicts = {}
    for key, (calls, bare) in measured.items():
        reference = percentile(bare, 50)
        for part, samples in (("total", calls.totals), ("excl. Graph", calls.own)):
            ratio = percentile(samples, 50) / reference
            target = TARGET_TO_BARE[part]
            verdicts[f"{key} {part}"] = (
                f"{ratio:.2f}x the bare SDK server (p50 {reference:.3f} ms) vs <= {target:g}x: "
                f"{'met' if ratio <= target else 'MISSED'}"
            )
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
        graph = GraphAccess(
            embedded_m365_settings("http://127.0.0.1:8001"),
            transport=httpx.ASGITransport(app=tenant),
            clock=clock,
        )
        builders: dict[str, Builder] = dict(BUILDERS)
        builders["meetings-first-read"] = lambda graph, callers: build_meetings(
            graph, callers, RecentTranscripts(ttl=0)
        )
        bench = _Bench(ToolHost(graph, CallerSource(), builders), token, meta, clock)
        async with bench.host.running():
            await _in_memory(bench)
            await _over_http(bench)
    measured = bench.measured
    graph_share = {key: round(sum(c.graph) / sum(c.totals), 3) for key, (c, _) in measured.items()}
    return Report(
        benchmark="tools",
        description="MCP tool-call latency (tenant in process; Graph = msgraph-sdk + local tenant)",
        series=bench.series,
        reference=REFERENCE,
        notes={
            "targets, excl. Graph (issue 3)": _verdicts(measured),
            "against a bare MCP SDK server (issue 18)": _against_bare(measured),
            "share of time in the Graph call": graph_share,
            "client check": "MCP client's jsonschema validation of one result (SDK), included in totals",
            "rounds": ROUNDS,
            "user": USER,
        },
    )
