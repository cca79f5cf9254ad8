"""What the audit trail costs and how fast it goes.

- Overhead per chat turn: the same meeting summary (instant scripted model, in-process tools) through
  the chat API with tracing and the audit trail on, and with both off (no tracer provider at all, no
  run recorder: as an app built with `TelemetryOptions(audit=False)`). One app serves both sides, turn
  by turn in the order off, on, on, off, …: apps built alike differ by a few per cent in speed (memory
  layout, connections), as much as what is measured, so separate apps would measure their own spread.
  Each turn starts from a collected heap and an empty audit queue, so that the garbage collections
  and writes it pays for are its own.
  The model answers at once: the turn is the platform's work alone, the case where the trail weighs
  most. The overhead is the median, over neighbouring pairs of turns (off then on, or on then off),
  of the ratio of their times: the machine's speed drifts from one second to the next (a shared
  virtual machine), which a pair shares and two separate medians do not; the ratio of the two sides'
  p50s is reported too. Also reported: the same with the model answering in one second.
  Target: under 5 %.
- Writer throughput: 20 000 real SDK spans (eight attributes each) queued by the audit span processor,
  then drained into PostgreSQL (rendered, chained, COPied in batches); spans per second from the first
  batch to the last stored. Also reported: creation and storage together. Target: ≥ 5 000.
- Replay time of a 20-step run: the reference summary recorded with the transcript read in pages of 12
  cues (find_meeting + 17 pages + model list + embeddings = 20 steps), replayed exactly. Target: < 1 s.
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from opentelemetry.sdk.trace import TracerProvider

import agents.meetings.graph as meeting_graph
from evals.bench.chat_turns import USER, bench_settings, settled, timed_turn, untraced
from evals.bench.stats import Report, Series, percentile
from evals.scripted_model import ScriptedChatModel
from server.app import create_app
from server.audit.anchors import AnchorBook, AnchorKey
from server.audit.processor import AuditSpanProcessor
from server.audit.writer import AuditWriter
from server.cli.main import database
from server.gateway.app import GatewayOptions
from server.settings import Settings
from tools.database import open_pool
from tools.tenant.app import create_tenant_app
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ROUNDS = 60  # turns on each side
# The same, with the model answering after a delay (a hosted model takes seconds for a summary).
HOSTED_ROUNDS = 16
HOSTED_SECONDS = 1.0
WARMUP = 3
SPANS = 20_000
REPLAYS = 10
REFERENCE = "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 4 points"


class _HostedModel(httpx.AsyncBaseTransport):
    """The scripted model answering chat completions after a delay, as a hosted model would."""

    def __init__(self, seconds: float) -> None:
        self._inner = httpx.ASGITransport(app=ScriptedChatModel().app)
        self._seconds = seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/chat/completions"):
            await asyncio.sleep(self._seconds)
        return await self._inner.handle_async_request(request)


def _app(settings: Settings, folder: Path, model_seconds: float = 0.0) -> tuple[Any, str]:
    tenant = create_tenant_app(TenantSettings(data_dir=folder / "tenant"))
    options = GatewayOptions(upstream_transport=_HostedModel(model_seconds))
    app = create_app(
        settings, identity_transport=httpx.ASGITransport(app=tenant), gateway=options, agents_in_process=True
    )
    provider = tenant.state.identity
    token = provider.tokens.access_token(
        provider.directory.user_by_mail(USER),
        audience=ARIANE_API_AUDIENCE,
        scope="access_as_user",
        client_id=WEB_CLIENT_ID,
    )
    return app, token


async def _overhead(
    settings: Settings, folder: Path, rounds: int, model_seconds: float = 0.0
) -> tuple[list[float], list[float]]:
    """Turn times (ms) with the trail off and on, alternating in one app: off[i] and on[i] are
    neighbours (off, on, on, off, …), measured under the same conditions."""
    app, token = _app(settings, folder, model_seconds)
    headers = {"Authorization": f"Bearer {token}"}
    off: list[float] = []
    on: list[float] = []
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench.test", timeout=60
        ) as client,
    ):
        for index in range(2 * (WARMUP + rounds)):
            audited = index % 4 in (1, 2)  # off, on, on, off: order effects cancel out
            if index == 2 * WARMUP:
                gc.freeze()  # as `ariane up` does once started: start-up's objects leave the collector
            await settled(app)
            if audited:
                sample = (await timed_turn(client, headers)).done_ms
            else:
                with untraced(app):
                    sample = (await timed_turn(client, headers)).done_ms
            if index >= 2 * WARMUP:
                (on if audited else off).append(sample)
        gc.unfreeze()
    return off, on


async def _throughput(settings: Settings, folder: Path) -> tuple[float, float]:
    assert settings.database_url is not None
    pool = await open_pool(settings.database_url.get_secret_value(), max_size=2)
    writer = AuditWriter(
        pool, AnchorBook(pool, AnchorKey(folder / "audit-bench")), batch_size=settings.audit_batch_size
    )
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
        app, token = _app(settings, folder)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench.test", timeout=120
            ) as client,
        ):
            run_id = (await timed_turn(client, {"Authorization": f"Bearer {token}"}, REFERENCE)).run_id
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
        base = bench_settings(Path(folder), fixed_now="2026-11-28T10:00:00+01:00")
        with database(base) as settings:
            off, on = await _overhead(settings, Path(folder), ROUNDS)
            hosted_off, hosted_on = await _overhead(settings, Path(folder), HOSTED_ROUNDS, HOSTED_SECONDS)
            rate, end_to_end = await _throughput(settings, Path(folder))
            replays, steps, status = await _replays(settings, Path(folder))
    overhead = percentile(on, 50) / percentile(off, 50) - 1
    paired = percentile([audited / plain - 1 for plain, audited in zip(off, on, strict=True)], 50)
    hosted = percentile(hosted_on, 50) / percentile(hosted_off, 50) - 1
    return Report(
        benchmark="audit",
        description="chat turn with tracing + audit trail on vs off; writer throughput; 20-step replay",
        series=[
            Series("chat turn, tracing and audit off (reference)", off),
            Series("chat turn, tracing and audit on", on),
            Series(f"chat turn, model answering in {HOSTED_SECONDS:g} s, trail off", hosted_off),
            Series(f"chat turn, model answering in {HOSTED_SECONDS:g} s, trail on", hosted_on),
            Series(f"exact replay of a {steps}-step run", replays),
        ],
        reference="chat turn, tracing and audit off (reference)",
        notes={
            "overhead per turn, median of neighbouring pairs (%)": round(paired * 100, 1),
            "overhead per turn, ratio of the p50s (%)": round(overhead * 100, 1),
            "overhead target": "< 5 %",
            "overhead met": paired < 0.05,
            f"overhead with a model answering in {HOSTED_SECONDS:g} s, p50 (%)": round(hosted * 100, 2),
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
