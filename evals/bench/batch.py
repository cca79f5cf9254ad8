"""A batch of 1 000 letters against a fake upstream answering in 200 ms, at concurrency 8.

The reference sends the same number of requests straight to the upstream, 8 at a time (closed loop,
aiohttp). The batch side is Ariane in process (the app, its gateway, the embedded PostgreSQL), the
HDS provider pointed at the same upstream, a 1 000-row table uploaded by a health-data secretary and
launched at concurrency 8: each row is claimed in PostgreSQL, classified, sent through `/v1` (policy,
quota, metering, spans) and recorded in the audit trail before it ends. Rows per second are compared;
the resident memory of the process is sampled through the batch (flat: the rows are not held in
memory, only the ones in flight). The fake upstream is a separate process on loopback.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
import yaml
from pydantic import SecretStr

from evals.bench.gateway_load import closed_loop, free_port, process
from evals.bench.stats import REPORTS, Report, Series, percentile
from server.cli.inprocess import in_process
from server.cli.main import database
from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings

ROWS = 1000
CONCURRENCY = 8
DELAY = 0.200
BODY = "Bonjour {{civilite}} {{nom}},\n\nVotre rendez-vous de {{service}} est fixé au {{date}}. {{consigne}}"


def _table() -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Civilité", "Nom", "Service", "Date", "Consigne"])
    for n in range(1, ROWS + 1):
        writer.writerow(
            [
                "Madame" if n % 2 else "Monsieur",
                f"PATIENT{n:04d}",
                "cardiologie",
                f"{n % 28 + 1:02d}/12/2026",
                "Apporter le dernier bilan sanguin.",
            ]
        )
    return out.getvalue().encode()


def _upstream_command(port: int) -> list[str]:
    code = (
        "import uvicorn; from tests.fakes.letter_model import FakeLetterModel; "
        f"uvicorn.run(FakeLetterModel(delay={DELAY}, keep_bodies=False).app, host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False)"
    )
    return [sys.executable, "-c", code]


def _settings(folder: Path, upstream_port: int) -> Settings:
    default = Settings.model_fields["gateway_policy_file"].default
    policy = yaml.safe_load(Path(default).read_text(encoding="utf-8"))
    policy["quotas"]["user_tokens_per_day"] = None  # 1 000 letters exceed one person's daily default
    policy["quotas"]["service_tokens_per_day"] = None
    policy_file = folder / "bench-policy.yaml"
    policy_file.write_text(yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8")
    upstream = UpstreamSettings(
        base_url=f"http://127.0.0.1:{upstream_port}/v1", api_key=SecretStr("sk-bench")
    )
    return Settings(  # type: ignore[call-arg]
        data_dir=folder,
        web_dist=folder / "web",
        gateway_policy_file=policy_file,
        gateway_upstreams={"hds_vllm": upstream},
        gateway_embeddings_preload=False,
        batch_concurrency=CONCURRENCY,
        log_level="warning",
        _env_file=None,
    )


async def _reference(port: int) -> tuple[float, list[float]]:
    body = json.dumps(
        {
            "model": "mistralai/Mistral-Small-3.2-24B-Instruct-2506",
            "temperature": 0,
            "max_tokens": 256,
            "messages": [{"role": "user", "content": "Bonjour Madame PATIENT0001, votre rendez-vous…"}],
        }
    ).encode()
    url = f"http://127.0.0.1:{port}/v1/chat/completions"
    headers = {"Content-Type": "application/json", "Authorization": "Bearer sk-bench"}
    await closed_loop(url, body, headers, CONCURRENCY, 40)  # warm
    run = await closed_loop(url, body, headers, CONCURRENCY, ROWS)
    assert run.errors == 0
    return run.throughput, run.latencies_ms


class _Timed(httpx.AsyncBaseTransport):
    """The runner's transport to `/v1`, timing each row's call (what holds one of the 8 places)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, times: list[float]) -> None:
        self.inner, self.times = inner, times

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        start = time.perf_counter()
        response = await self.inner.handle_async_request(request)
        self.times.append((time.perf_counter() - start) * 1000)
        return response


async def _batch(settings: Settings) -> tuple[float, list[float], dict[str, object]]:
    memory: list[tuple[int, float]] = []
    row_times: list[float] = []
    own = psutil.Process()
    async with in_process(settings) as ariane:
        runner = ariane.app.state.batch_runs.runner
        runner._inner = _Timed(runner._inner, row_times)  # rows' senders are built at launch
        headers = {"Authorization": f"Bearer {ariane.token_for('ines.moreau@chru-exemple.fr')}"}
        client = ariane.client
        created = await client.post(
            "/api/batches",
            headers=headers,
            files={"file": ("export.csv", _table())},
            data={"data_class": "health"},
        )
        batch_id = created.json()["id"]
        changes = {"body": BODY, "model": "mistral-small-hds", "max_tokens": 256, "review_required": False}
        assert (
            await client.patch(f"/api/batches/{batch_id}", headers=headers, json=changes)
        ).status_code == 200
        started, cpu = time.perf_counter(), own.cpu_times()
        assert (await client.post(f"/api/batches/{batch_id}/launch", headers=headers)).status_code == 200
        runs = ariane.app.state.batch_runs
        waiting = asyncio.ensure_future(runs.wait_idle())
        while not waiting.done():
            await asyncio.wait({waiting}, timeout=0.5)
            state = (await client.get(f"/api/batches/{batch_id}", headers=headers)).json()
            memory.append((state["progress"]["done"], own.memory_info().rss / 2**20))
        seconds, cpu_end = time.perf_counter() - started, own.cpu_times()
        state = (await client.get(f"/api/batches/{batch_id}", headers=headers)).json()
        assert state["status"] == "completed", state
        assert state["progress"]["succeeded"] == ROWS, state["progress"]
    cpu_seconds = (cpu_end.user - cpu.user) + (cpu_end.system - cpu.system)
    quarter = max(1, len(memory) // 4)
    notes = {
        "ariane_cpu_ms_per_row (this process: API, gateway, runner)": round(1000 * cpu_seconds / ROWS, 2),
        "rss_mib_first_quarter_median": round(statistics.median(m for _, m in memory[:quarter]), 1),
        "rss_mib_last_quarter_median": round(statistics.median(m for _, m in memory[-quarter:]), 1),
        "rss_mib_samples (rows done, MiB)": [
            (d, round(m, 1)) for d, m in memory[:: max(1, len(memory) // 8)]
        ],
    }
    return ROWS / seconds, row_times, notes


async def run() -> Report:
    REPORTS.mkdir(exist_ok=True)  # the upstream's log goes there
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        with process(_upstream_command(port), {}, f"http://127.0.0.1:{port}/v1/chat/completions", timeout=60):
            direct_rate, direct_latencies = await _reference(port)
            base = _settings(Path(folder), port)
            with database(base) as settings:
                batch_rate, row_times, notes = await _batch(settings)
    ratio = batch_rate / direct_rate
    notes = {
        "rows_per_s_direct": round(direct_rate, 2),
        "rows_per_s_batch": round(batch_rate, 2),
        "batch_to_direct_ratio": round(ratio, 3),
        "target_met (within 5 %)": ratio >= 0.95,
        "row_call_ms_p50_p95 (batch, each row's /v1 call)": [
            round(percentile(row_times, 50), 1),
            round(percentile(row_times, 95), 1),
        ],
        "call_ms_p50_p95 (direct)": [
            round(percentile(direct_latencies, 50), 1),
            round(percentile(direct_latencies, 95), 1),
        ],
        **notes,
    }
    per_row_ms = 1000 * CONCURRENCY / batch_rate
    return Report(
        benchmark="batch",
        description=f"{ROWS} letters, upstream answering in {DELAY * 1000:.0f} ms, "
        f"concurrency {CONCURRENCY}: "
        "Ariane's batch vs the upstream called directly",
        series=[
            Series("upstream direct, c=8 (reference)", direct_latencies),
            Series("batch, c=8 (each row's /v1 call)", row_times),
            Series("batch, c=8 (mean time per row in flight)", [per_row_ms]),
        ],
        reference="upstream direct, c=8 (reference)",
        notes=notes,
    )
