"""The LLM gateway against the same fake upstream called directly and through a LiteLLM proxy.

Three real processes on loopback: the fake OpenAI-compatible upstream (fixed delay), `ariane gateway`
(uvicorn, embedded PostgreSQL, the default policy with one provider pointed at the upstream, a
service key) and the LiteLLM proxy (from `.venv-bench`, no database) configured for the same upstream.
The load generator (aiohttp, closed loop) measures each at concurrency 1, 16 and 64, then the time to
first token when streaming. Then the local embedding model in process, and the resident memory of
`ariane up` at idle with the embedding model loaded.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
import psycopg
from pydantic import SecretStr

from evals.bench.gateway_load import REPO, Run, child_env, closed_loop, free_port, process, upstream_command
from evals.bench.stats import REPORTS, Report, Series, percentile
from server.cli.main import database
from server.gateway.callers import hash_service_key, new_service_key
from server.gateway.embeddings import LocalEmbedder
from server.settings import Settings

DELAY = 0.020
ROUNDS = {1: 400, 16: 1200, 64: 2400}
TTFT_ROUNDS = 400
WORKERS = sorted({1, os.cpu_count() or 1})  # one process each, then one per core
PROMPT = [{"role": "user", "content": "Bonjour, combien de jours de congés me reste-t-il cette année ?"}]
UPSTREAM_MODEL = "mistralai/Mistral-Small-3.2-24B-Instruct-2506"
ARIANE = str(REPO / ".venv" / "bin" / "ariane")
LITELLM = REPO / ".venv-bench" / "bin" / "litellm"


def _service_key(database_url: str) -> str:
    key = new_service_key()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO gateway_service_keys (name, service, key_hash, key_prefix, models, data_classes, "
            "created_by) VALUES ('bench', 'Banc d''essai', %s, %s, %s, %s, 'bench')",
            (hash_service_key(key), key[:14], ["mistral-small-hds"], ["public", "internal"]),
        )
    return key


def _litellm_config(folder: Path, upstream_port: int) -> Path:
    config = folder / "litellm.yaml"
    config.write_text(
        "model_list:\n"
        "  - model_name: bench-model\n"
        "    litellm_params:\n"
        "      model: openai/" + UPSTREAM_MODEL + "\n"
        f"      api_base: http://127.0.0.1:{upstream_port}/v1\n"
        "      api_key: sk-bench\n"
        "litellm_settings:\n  drop_params: true\n  telemetry: false\n"
    )
    return config


async def _measure(name: str, url: str, model: str, headers: dict[str, str]) -> dict[str, Run]:
    body = json.dumps({"model": model, "messages": PROMPT, "max_tokens": 64}).encode()
    headers = {"Content-Type": "application/json", **headers}
    await closed_loop(url, body, headers, 4, 60)  # warm connections, caches, JIT-free paths
    runs = {f"{name} c={c}": await closed_loop(url, body, headers, c, total) for c, total in ROUNDS.items()}
    streamed = json.dumps({"model": model, "messages": PROMPT, "max_tokens": 64, "stream": True}).encode()
    runs[f"{name} TTFT"] = await closed_loop(url, streamed, headers, 1, TTFT_ROUNDS, stream=True)
    return runs


def _p(run: Run, q: float) -> float:
    return round(percentile(run.latencies_ms, q), 3)


async def _embeddings() -> dict[str, object]:
    embedder = LocalEmbedder(threads=Settings.model_fields["gateway_embedding_threads"].default)
    started = time.perf_counter()
    await embedder.load()
    load_s = time.perf_counter() - started
    for _ in range(20):
        await embedder.embed(["Comment est compensée mon astreinte de nuit ?"])
    single = []
    for i in range(200):
        start = time.perf_counter()
        await embedder.embed([f"Comment est compensée mon astreinte de nuit numéro {i} ?"])
        single.append((time.perf_counter() - start) * 1000)
    sentences = [
        f"Note de service {i} : les astreintes du week-end sont compensées en repos." for i in range(512)
    ]
    start = time.perf_counter()
    embedded = await embedder.embed(sentences)
    batch_s = time.perf_counter() - start
    embedder.close()
    assert len(embedded.vectors[0]) == 384
    return {
        "model_load_s": round(load_s, 2),
        "one_query_p50_ms": round(percentile(single, 50), 2),
        "one_query_p99_ms": round(percentile(single, 99), 2),
        "batch_512_sentences_per_s": round(len(sentences) / batch_s, 1),
        "one_query_target_met (<= 12 ms)": percentile(single, 50) <= 12,
    }


def _idle_memory(folder: Path) -> dict[str, object]:
    port, tenant = free_port(), free_port()
    env = {
        "ARIANE_DATA_DIR": str(folder / "up"),
        "ARIANE_PORT": str(port),
        "ARIANE_TENANT_PORT": str(tenant),
        "ARIANE_LOG_LEVEL": "warning",
        "ARIANE_WEB_DIST": str(folder / "no-web"),
    }
    with process([ARIANE, "up"], env, f"http://127.0.0.1:{port}/healthz", timeout=120) as proc:
        token = subprocess.run(
            [ARIANE, "token", "claire.dubois@chru-exemple.fr"],
            env=child_env(env),
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        ).stdout.strip()
        import urllib.request

        request = urllib.request.Request(  # loads the model if the start-up preload has not finished
            f"http://127.0.0.1:{port}/v1/embeddings",
            method="POST",
            data=json.dumps({"model": "all-minilm-l6-v2", "input": "Bonjour"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.status == 200
        time.sleep(3)
        main = psutil.Process(proc.pid)
        rss = main.memory_info().rss
        children = sum(child.memory_info().rss for child in main.children(recursive=True))
    return {
        "ariane_up_idle_rss_mib (python process, model loaded)": round(rss / 2**20, 1),
        "embedded_postgres_rss_mib (child processes)": round(children / 2**20, 1),
        "rss_target_met (< 1 GiB)": rss < 2**30,
    }


async def run() -> Report:
    REPORTS.mkdir(exist_ok=True)
    if not LITELLM.exists():
        subprocess.run(["bash", str(REPO / "evals" / "bench" / "setup_litellm.sh")], check=True)
    runs: dict[str, Run] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        base = Settings(data_dir=folder, web_dist=folder / "web", _env_file=None)  # type: ignore[call-arg]
        with database(base) as settings:
            assert isinstance(settings.database_url, SecretStr)
            url = settings.database_url.get_secret_value()
            key = _service_key(url)
            up = free_port()
            with process(upstream_command(up, DELAY), {}, f"http://127.0.0.1:{up}/v1/embeddings"):
                runs |= await _measure(
                    "direct", f"http://127.0.0.1:{up}/v1/chat/completions", UPSTREAM_MODEL, {}
                )
                for workers in WORKERS:
                    runs |= await _measure_ariane(folder, url, up, key, workers)
                    runs |= await _measure_litellm(folder, up, workers)
        notes = _compare(runs)
        notes["embeddings"] = await _embeddings()
        notes["memory"] = _idle_memory(folder)
    return Report(
        benchmark="gateway",
        description=f"added latency and throughput over a fake upstream with {DELAY * 1000:.0f} ms delay "
        "(loopback, separate processes, 2 cores shared with the load generator)",
        series=[Series(name, run.latencies_ms) for name, run in runs.items()],
        reference="direct c=1",
        notes=notes,
    )


def _name(product: str, workers: int) -> str:
    return product if workers == 1 else f"{product} x{workers}"


async def _measure_ariane(
    folder: Path, database_url: str, upstream: int, key: str, workers: int
) -> dict[str, Run]:
    port = free_port()
    env = {
        "DATABASE_URL": database_url,
        "ARIANE_GATEWAY_PORT": str(port),
        "ARIANE_GATEWAY_WORKERS": str(workers),
        "ARIANE_LOG_LEVEL": "warning",
        "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL": f"http://127.0.0.1:{upstream}/v1",
        "ARIANE_GATEWAY_EMBEDDINGS_PRELOAD": "false",
        "ARIANE_DATA_DIR": str(folder),
    }
    with process([ARIANE, "gateway"], env, f"http://127.0.0.1:{port}/healthz"):
        return await _measure(
            _name("ariane", workers),
            f"http://127.0.0.1:{port}/v1/chat/completions",
            "mistral-small-hds",
            {"Authorization": f"Bearer {key}"},
        )


async def _measure_litellm(folder: Path, upstream: int, workers: int) -> dict[str, Run]:
    port = free_port()
    master = "sk-" + secrets.token_hex(32)  # LiteLLM checks it on each request, as we do keys
    env = {"LITELLM_TELEMETRY": "False", "LITELLM_LOG": "ERROR", "LITELLM_MASTER_KEY": master}
    config = str(_litellm_config(folder, upstream))
    cmd = [str(LITELLM), "--config", config, "--host", "127.0.0.1", "--port", str(port)]
    with process(
        [*cmd, "--num_workers", str(workers)], env, f"http://127.0.0.1:{port}/health/liveliness", timeout=180
    ):
        return await _measure(
            _name("litellm", workers),
            f"http://127.0.0.1:{port}/v1/chat/completions",
            "bench-model",
            {"Authorization": f"Bearer {master}"},
        )


def _compare(runs: dict[str, Run]) -> dict[str, object]:
    notes: dict[str, object] = {}
    for workers in WORKERS:
        ours, lite = _name("ariane", workers), _name("litellm", workers)
        notes[f"{workers} worker(s) each"] = _compare_pair(runs, ours, lite)
    notes["highest_throughput_rps"] = {
        name: round(max(runs[f"{name} c={c}"].throughput for c in ROUNDS))
        for name in ("direct", *(_name(p, w) for w in WORKERS for p in ("ariane", "litellm")))
    }
    return notes


def _compare_pair(runs: dict[str, Run], ours: str, lite: str) -> dict[str, object]:
    levels: dict[str, dict[str, Any]] = {}
    for c in ROUNDS:
        direct, mine, theirs = runs[f"direct c={c}"], runs[f"{ours} c={c}"], runs[f"{lite} c={c}"]
        added = {
            name: (round(_p(r, 50) - _p(direct, 50), 3), round(_p(r, 99) - _p(direct, 99), 3))
            for name, r in ((ours, mine), (lite, theirs))
        }
        levels[f"c={c}"] = {
            "added_ms_p50_p99": added,
            "throughput_rps": {
                "direct": round(direct.throughput),
                ours: round(mine.throughput),
                lite: round(theirs.throughput),
            },
            "errors": {ours: mine.errors, lite: theirs.errors},
            "added_p50_ratio": round(added[ours][0] / added[lite][0], 3) if added[lite][0] > 0 else None,
            "throughput_ratio": round(mine.throughput / theirs.throughput, 2) if theirs.throughput else None,
            "share_of_direct": round(mine.throughput / direct.throughput, 3) if direct.throughput else None,
        }
    ratios = [level["added_p50_ratio"] for level in levels.values()]
    at1, at64 = levels["c=1"], levels["c=64"]
    return {
        **levels,
        "targets": {
            "added latency <= 0.2x LiteLLM at every level": all(r is not None and r <= 0.2 for r in ratios),
            "added latency <= 2 ms at c=1": at1["added_ms_p50_p99"][ours][0] <= 2,
            "throughput >= 5x LiteLLM at c=64": (at64["throughput_ratio"] or 0) >= 5,
            "throughput >= 25% of direct at c=64": (at64["share_of_direct"] or 0) >= 0.25,
        },
        "ttft_overhead_ms_p50": {
            name: round(_p(runs[f"{name} TTFT"], 50) - _p(runs["direct TTFT"], 50), 3)
            for name in (ours, lite)
        },
    }
