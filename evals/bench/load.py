"""A chat turn under load: the reference meeting summary through `ariane up`, 1, 8 and 32 users at once.

`ariane up` runs as its own process on the embedded defaults (PostgreSQL, local tenant, local
embeddings), with the bench users of `load_setup` added to the tenant. Each user asks « Résume-moi
l'intervention de Julien Perrin à l'assemblée générale DTNIB en 3 points » in a new conversation over
HTTP and reads the answer's event stream to `done`, then asks again (a closed loop): 1, 8 or 32 users
at a time, the three levels in rotation, block after block, so that each level meets the machine's
moments alike. Two installs are measured, one after the other:

- `extractive`: the default install, no model configured (the local extractive method);
- `model 200 ms`: a scripted model answering after 200 ms behind the gateway (a fake upstream process,
  `evals/scripted_model.py`), where every turn must be the model's: a turn answered extractively is a
  fallback, counted with the cause the run gave.

Reported per level: time to `done` and to the first event (p50, p99), turns per second, errors,
fallbacks, and the CPU seconds per turn of `ariane up` and of its PostgreSQL. The load generator
(aiohttp) shares the two cores. Targets (issue 18): extractive p50 < 300 ms at one user, ≥ 8 turns/s
and time to first event p99 < 500 ms at 32 users, no error; with the model, no fallback.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil

from evals.bench.gateway_load import REPO, free_port, process
from evals.bench.load_setup import USERS, CpuMeter, Turn, bench_mail, timed_turn, write_bench_tenant
from evals.bench.stats import Report, Series, percentile
from tools.tenant.app import create_tenant_app
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ARIANE = str(REPO / ".venv" / "bin" / "python")
LEVELS = (1, 8, 32)
TURNS = {1: 12, 8: 48, 32: 128}  # per block
ROUNDS = 2
MODEL_DELAY = 0.2


@dataclass
class Level:
    """Everything measured at one level of concurrency, over its blocks."""

    turns: list[Turn] = field(default_factory=list)
    seconds: float = 0.0
    server_cpu: float = 0.0
    database_cpu: float = 0.0

    @property
    def ok(self) -> list[Turn]:
        return [turn for turn in self.turns if turn.status == "done" and turn.error is None]

    def summary(self, expected_mode: str) -> dict[str, object]:
        done = [turn.done_ms for turn in self.ok]
        first = [turn.first_ms for turn in self.ok]
        count = len(self.turns)
        # Without a model configured, « no model » is the expected cause of every extractive answer.
        expected = {"no_model"} if expected_mode == "extractive" else set()
        fallbacks = [turn for turn in self.ok if turn.mode != expected_mode or set(turn.fallbacks) - expected]
        causes: dict[str, int] = {}
        for turn in fallbacks:
            for cause in turn.fallbacks or ("(no cause given)",):
                causes[cause] = causes.get(cause, 0) + 1
        details = sorted({turn.fallback_detail[:200] for turn in fallbacks if turn.fallback_detail})
        errors: dict[str, int] = {}
        for turn in self.turns:
            if turn not in self.ok:
                key = turn.error or turn.status
                errors[key[:120]] = errors.get(key[:120], 0) + 1
        return {
            "turns": count,
            "done_p50_ms": round(percentile(done, 50), 1),
            "done_p99_ms": round(percentile(done, 99), 1),
            "first_event_p50_ms": round(percentile(first, 50), 1),
            "first_event_p99_ms": round(percentile(first, 99), 1),
            "turns_per_s": round(count / self.seconds, 2) if self.seconds else 0.0,
            "errors": errors,
            "fallbacks": len(fallbacks),
            "fallback_causes": causes,
            "fallback_details": details[:5],
            "server_cpu_s_per_turn": round(self.server_cpu / max(count, 1), 3),
            "postgres_cpu_s_per_turn": round(self.database_cpu / max(count, 1), 3),
        }


def _tokens(up_dir: Path, extra: Path, tenant_port: int) -> list[str]:
    settings = TenantSettings(  # type: ignore[call-arg]
        data_dir=up_dir / "tenant", extra_data_dir=extra, port=tenant_port, _env_file=None
    )
    provider = create_tenant_app(settings).state.identity
    tokens = []
    for index in range(1, USERS + 1):
        user = provider.directory.user_by_mail(bench_mail(index))
        assert user is not None
        tokens.append(
            provider.tokens.access_token(
                user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
            )
        )
    return tokens


@contextmanager
def _ariane_up(
    folder: Path, extra: Path, env: dict[str, str]
) -> Iterator[tuple[str, int, psutil.Process, float]]:
    port, tenant = free_port(), free_port()
    env = {
        "ARIANE_DATA_DIR": str(folder),
        "ARIANE_PORT": str(port),
        "ARIANE_TENANT_PORT": str(tenant),
        "ARIANE_TENANT_EXTRA_DATA_DIR": str(extra),
        "ARIANE_LOG_LEVEL": "warning",
        "ARIANE_WEB_DIST": str(folder / "no-web"),
        # A fresh install runs the governance evaluations at once (its policy is new): they chat with
        # the server as real users, which would be measured as the bench users' load.
        "ARIANE_GOVERNANCE__EVALUATIONS": "false",
        **env,
    }
    command = [ARIANE, "-c", "from server.cli import main; main()", "up"]
    started = time.perf_counter()
    with process(command, env, f"http://127.0.0.1:{port}/readyz", timeout=300) as proc:
        yield f"http://127.0.0.1:{port}", tenant, psutil.Process(proc.pid), time.perf_counter() - started


async def _block(
    base_url: str, tokens: list[str], concurrency: int, total: int, level: Level, meter: CpuMeter
) -> None:
    remaining = total
    connector = aiohttp.TCPConnector(limit=concurrency * 2)
    timeout = aiohttp.ClientTimeout(total=600)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def user(index: int) -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                level.turns.append(await timed_turn(session, base_url, tokens[index]))

        meter.start()
        began = time.perf_counter()
        await asyncio.gather(*(user(index) for index in range(concurrency)))
        level.seconds += time.perf_counter() - began
        server, database = meter.read()
        level.server_cpu += server
        level.database_cpu += database


async def _scenario(
    name: str, folder: Path, extra: Path, env: dict[str, str], expected: str
) -> tuple[dict[int, Level], dict[str, object]]:
    levels = {concurrency: Level() for concurrency in LEVELS}
    with _ariane_up(folder, extra, env) as (base_url, tenant_port, server, start_s):
        tokens = _tokens(folder, extra, tenant_port)
        meter = CpuMeter(server, folder)
        warm = Level()
        await _block(base_url, tokens, 8, 16, warm, meter)  # connections, caches, first embeddings
        memory_start = meter.memory_mib()
        for round_ in range(ROUNDS):
            for concurrency in LEVELS if round_ % 2 == 0 else LEVELS[::-1]:
                await _block(base_url, tokens, concurrency, TURNS[concurrency], levels[concurrency], meter)
        memory_end = meter.memory_mib()
    notes: dict[str, object] = {
        "start_to_ready_s": round(start_s, 1),
        "warm_up": warm.summary(expected),
        "memory_pss_mib (server, postgres) after warm-up / at the end": [
            [round(value) for value in memory_start],
            [round(value) for value in memory_end],
        ],
    }
    for concurrency, level in levels.items():
        notes[f"c={concurrency}"] = level.summary(expected)
    return levels, notes


def _upstream_command(port: int) -> list[str]:
    code = (
        "import uvicorn; from evals.scripted_model import ScriptedChatModel; "
        f"uvicorn.run(ScriptedChatModel(delay={MODEL_DELAY}, keep_prompts=False).app, host='127.0.0.1', "
        f"port={port}, log_level='warning', access_log=False)"
    )
    return [ARIANE, "-c", code]


def _targets(extractive: dict[str, object], model: dict[str, object]) -> dict[str, bool]:
    one, many = extractive["c=1"], extractive["c=32"]
    assert isinstance(one, dict)
    assert isinstance(many, dict)
    no_errors = all(
        not level["errors"]
        for notes in (extractive, model)
        for key, level in notes.items()
        if key.startswith("c=") and isinstance(level, dict)
    )
    no_fallback = all(
        level["fallbacks"] == 0
        for key, level in model.items()
        if key.startswith("c=") and isinstance(level, dict)
    )
    return {
        "extractive p50 < 300 ms at 1 user": one["done_p50_ms"] < 300,
        "extractive >= 8 turns/s at 32 users": many["turns_per_s"] >= 8,
        "extractive first event p99 < 500 ms at 32 users": many["first_event_p99_ms"] < 500,
        "no errors": no_errors,
        "model: no turn falling back": no_fallback,
    }


async def run() -> Report:
    series: list[Series] = []
    notes: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="ariane-bench-load-") as name:
        root = Path(name)
        extra = write_bench_tenant(root / "extra")
        extractive, notes["extractive"] = await _scenario(
            "extractive", root / "extractive", extra, {}, "extractive"
        )
        upstream = free_port()
        with process(_upstream_command(upstream), {}, f"http://127.0.0.1:{upstream}/v1/chat/completions"):
            env = {
                "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL": f"http://127.0.0.1:{upstream}/v1",
                "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__API_KEY": "sk-bench",
            }
            model, notes["model 200 ms"] = await _scenario("model", root / "model", extra, env, "generative")
    for label, levels in (("extractive", extractive), ("model 200 ms", model)):
        for concurrency, level in levels.items():
            ok = level.ok
            series.append(Series(f"{label} c={concurrency} done", [turn.done_ms for turn in ok]))
            series.append(Series(f"{label} c={concurrency} first event", [turn.first_ms for turn in ok]))
    extractive_notes, model_notes = notes["extractive"], notes["model 200 ms"]
    assert isinstance(extractive_notes, dict)
    assert isinstance(model_notes, dict)
    notes["targets (issue 18)"] = _targets(extractive_notes, model_notes)
    notes["blocks"] = {"rounds": ROUNDS, "turns per block": TURNS, "users": USERS}
    return Report(
        benchmark="load",
        description="the reference meeting summary through `ariane up` over HTTP, 1/8/32 users at once",
        series=series,
        reference="extractive c=1 done",
        notes=notes,
    )
