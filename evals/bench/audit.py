"""What the audit trail costs and how fast it goes.

- Overhead per chat turn: the same meeting summary (instant scripted model, in-process tools) through
  the chat API with tracing and the audit trail on, and with both off (no tracer provider at all);
  eight blocks of ten turns in the order off, on, on, off, off, on, on, off, so that drift and order
  effects cancel out. Target: under 5 % at p50.
- Writer throughput: 20 000 real SDK spans (eight attributes each) queued by the audit span processor,
  then drained into PostgreSQL (rendered, chained, COPied in batches); spans per second from the first
  batch to the last stored. Also reported: creation and storage together. Target: ≥ 5 000.
- Replay time of a 20-step run: the reference summary recorded with the transcript read in pages of 12
  cues (find_meeting + 17 pages + model list + embeddings = 20 steps), replayed exactly. Target: < 1 s.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from opentelemetry.sdk.trace import TracerProvider
from pydantic import SecretStr

import agents.meetings.graph as meeting_graph
from evals.bench.stats import Report, Series, percentile
from evals.scripted_model import ScriptedChatModel
from server.app import create_app
from server.audit.anchors import AnchorBook
from server.audit.processor import AuditSpanProcessor
from server.audit.runtime import TelemetryOptions
from server.audit.writer import AuditWriter
from server.cli.main import database
from server.gateway.app import GatewayOptions
from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from tools.database import open_pool
from tools.tenant.app import create_tenant_app
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ROUNDS = 10
BLOCKS = 8  # off, on, on, off, off, on, on, off: drift and order effects cancel out
WARMUP = 3
SPANS = 20_000
REPLAYS = 10
MESSAGE = "Résume-moi l'intervention de Julien Perrin à l'assemblée générale DTNIB en 3 points"
REFERENCE = "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 4 points"
USER = "claire.dubois@chru-exemple.fr"


def _app(settings: Settings, folder: Path, audit: bool) -> tuple[Any, str]:
    tenant = create_tenant_app(TenantSettings(data_dir=folder / "tenant"))
    options = GatewayOptions(upstream_transport=httpx.ASGITransport(app=ScriptedChatModel().app))
    app = create_app(
        settings,
        identity_transport=httpx.ASGITransport(app=tenant),
        gateway=options,
        agents_in_process=True,
        telemetry=TelemetryOptions(audit=audit),
    )
    provider = tenant.state.identity
    token = provider.tokens.access_token(
        provider.directory.user_by_mail(USER),
        audience=ARIANE_API_AUDIENCE,
        scope="access_as_user",
        client_id=WEB_CLIENT_ID,
    )
    return app, token


async def _turn(client: httpx.AsyncClient, headers: dict[str, str], message: str) -> tuple[float, str]:
    thread = (await client.post("/api/threads", json={}, headers=headers)).json()["id"]
    start = time.perf_counter()
    async with client.stream(
        "POST", f"/api/threads/{thread}/runs", json={"message": message}, headers=headers
    ) as response:
        run_id = response.headers["x-ariane-run-id"]
        async for line in response.aiter_lines():
            if line == "event: done":
                break
    return (time.perf_counter() - start) * 1000, run_id


async def _turns(settings: Settings, folder: Path, audit: bool) -> list[float]:
    app, token = _app(settings, folder, audit)
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench.test", timeout=60
        ) as client,
    ):
        return [(await _turn(client, headers, MESSAGE))[0] for _ in range(WARMUP + ROUNDS)][WARMUP:]


async def _throughput(settings: Settings, folder: Path) -> tuple[float, float]:
    assert settings.database_url is not None
    pool = await open_pool(settings.database_url.get_secret_value(), max_size=2)
    writer = AuditWriter(pool, AnchorBook(folder / "audit-bench"), batch_size=settings.audit_batch_size)
    provider = TracerProvider()
    provider.add_span_processor(AuditSpanProcessor(writer))
    tracer = provider.get_tracer("bench")
    writer.start()
    try:
        created = time.perf_counter()
        for index in range(SPANS):
            with tracer.start_as_current_span(f"execute_tool tool_{index % 7}") as span:
                span.set_attributes(
                    {
                        "gen_ai.operation.name": "execute_tool",
                        "gen_ai.tool.name": f"tool_{index % 7}",
                        "gen_ai.tool.call.id": f"call-{index}",
                        "ariane.run.id": "00000000-0000-0000-0000-000000000000",
                        "ariane.user.id": "bench",
                        "ariane.assistant.id": "ariane",
                        "ariane.assistant.version": 1,
                        "http.response.status_code": 200,
                    }
                )
        # Spans are queued as they end; the writer drains the queue in batches (render, chain, COPY).
        start = time.perf_counter()
        await writer.flush()
        done = time.perf_counter()
        return SPANS / (done - start), SPANS / (done - created)
    finally:
        await writer.close()
        await pool.close()


async def _replays(settings: Settings, folder: Path) -> tuple[list[float], int, str]:
    original = meeting_graph.read_transcript

    async def read_in_small_pages(state: Any, runtime: Any) -> Any:
        result = await runtime.context.tools.whole_transcript(state["meeting"]["id"], page_size=12)
        if not result.ok:
            return {"outcome": result.code or "tool_error", "answer": result.message}
        return {
            "cues": result.data["cues"],
            "speakers": result.data.get("speakers", []),
            "transcript_id": result.data.get("transcript_id", ""),
        }

    meeting_graph.read_transcript = read_in_small_pages  # type: ignore[assignment]
    try:
        app, token = _app(settings, folder, audit=True)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench.test", timeout=120
            ) as client,
        ):
            _, run_id = await _turn(client, {"Authorization": f"Bearer {token}"}, REFERENCE)
            from server.cli.audit import OPERATOR

            service = app.state.audit
            samples, steps, status = [], 0, ""
            for _ in range(REPLAYS + 1):
                start = time.perf_counter()
                report = await service.replay(OPERATOR, run_id, None)
                samples.append((time.perf_counter() - start) * 1000)
                steps, status = report["steps"], report["status"]
            return samples[1:], steps, status
    finally:
        meeting_graph.read_transcript = original  # type: ignore[assignment]


async def run() -> Report:
    with tempfile.TemporaryDirectory(prefix="ariane-bench-") as folder:
        upstream = UpstreamSettings(base_url="http://scripted-model.bench/v1", api_key=SecretStr("sk-bench"))
        base = Settings(  # type: ignore[call-arg]
            data_dir=Path(folder),
            web_dist=Path(folder) / "web",
            gateway_embeddings_preload=False,
            gateway_upstreams={"hds_vllm": upstream},
            fixed_now="2026-11-28T10:00:00+01:00",
            _env_file=None,
        )
        with database(base) as settings:
            off: list[float] = []
            on: list[float] = []
            for block in range(BLOCKS):
                audit = block % 4 in (1, 2)
                (on if audit else off).extend(await _turns(settings, Path(folder), audit=audit))
            rate, end_to_end = await _throughput(settings, Path(folder))
            replays, steps, status = await _replays(settings, Path(folder))
    overhead = percentile(on, 50) / percentile(off, 50) - 1
    return Report(
        benchmark="audit",
        description="chat turn with tracing + audit trail on vs off; writer throughput; 20-step replay",
        series=[
            Series("chat turn, tracing and audit off (reference)", off),
            Series("chat turn, tracing and audit on", on),
            Series(f"exact replay of a {steps}-step run", replays),
        ],
        reference="chat turn, tracing and audit off (reference)",
        notes={
            "overhead per turn p50 (%)": round(overhead * 100, 1),
            "overhead target": "< 5 %",
            "overhead met": overhead < 0.05,
            "writer throughput (spans/s)": round(rate),
            "spans created and stored (spans/s, one core)": round(end_to_end),
            "throughput target": ">= 5000",
            "throughput met": rate >= 5000,
            "replay status": status,
            "replay p50 (ms)": round(percentile(replays, 50), 1),
            "replay target": "< 1000 ms",
            "replay met": percentile(replays, 50) < 1000,
        },
    )
