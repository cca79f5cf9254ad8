"""Memory that returns at idle: `ariane up` after 1 000 chat turns and 5 idle minutes.

`ariane up` runs on the default install (extractive, the load bench's tenant and users); 8 users at a
time ask the reference meeting summary, each in a new conversation, until 1 000 turns. The memory of
the server and of its PostgreSQL is read after the first 10 turns, every 100 turns, then every minute
of `IDLE_SECONDS` without a request. Both sums are reported: PSS (PostgreSQL's backends share its
buffers, which RSS counts once per backend) and RSS. Target (issue 18): after the idle minutes, the
total within 20 % of its value after the first 10 turns, judged on PSS (memory counted once).

`run(turns=…, idle_seconds=…)` shortens a trial run.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import psutil

from evals.bench.load import Level, _ariane_up, _block, _tokens
from evals.bench.load_setup import CpuMeter, write_bench_tenant
from evals.bench.stats import Report, Series

TURNS = 1000
IDLE_SECONDS = 300.0
FIRST_TURNS = 10
STEP = 100
USERS_AT_ONCE = 8
TARGET_RATIO = 1.20


def _rss_mib(meter: CpuMeter) -> float:
    """Resident memory (RSS, MiB) of the server and of every PostgreSQL process, summed."""
    total = meter.server.memory_info().rss
    for proc in meter.postgres():
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


def _sample(meter: CpuMeter, turns: int, label: str) -> dict[str, float | int | str]:
    server, database = meter.memory_mib()
    return {
        "at": label,
        "turns": turns,
        "pss_mib": round(server + database, 1),
        "server_pss_mib": round(server, 1),
        "postgres_pss_mib": round(database, 1),
        "rss_mib": round(_rss_mib(meter), 1),
    }


async def run(turns: int = TURNS, idle_seconds: float = IDLE_SECONDS) -> Report:
    samples: list[dict[str, float | int | str]] = []
    level = Level()
    with tempfile.TemporaryDirectory(prefix="ariane-bench-memory-") as name:
        root = Path(name)
        extra = write_bench_tenant(root / "extra")
        folder = root / "memory"
        with _ariane_up(folder, extra, {}) as (base_url, tenant_port, server, _):
            tokens = _tokens(folder, extra, tenant_port)
            meter = CpuMeter(server, folder)
            await _block(base_url, tokens, USERS_AT_ONCE, FIRST_TURNS, level, meter)
            samples.append(_sample(meter, len(level.turns), "after the first turns"))
            while len(level.turns) < turns:
                step = min(STEP - len(level.turns) % STEP, turns - len(level.turns))
                await _block(base_url, tokens, USERS_AT_ONCE, step, level, meter)
                samples.append(_sample(meter, len(level.turns), "turns"))
            idle_from = time.monotonic()
            while (idle := time.monotonic() - idle_from) < idle_seconds:
                await asyncio.sleep(min(60.0, idle_seconds - idle))
                samples.append(_sample(meter, len(level.turns), f"idle {time.monotonic() - idle_from:.0f} s"))
            if idle_seconds <= 0:
                samples.append(_sample(meter, len(level.turns), "idle 0 s"))
    first, last = samples[0], samples[-1]
    ratios = {kind: round(float(last[kind]) / float(first[kind]), 3) for kind in ("pss_mib", "rss_mib")}
    notes: dict[str, object] = {
        "turns": len(level.turns),
        "errors": level.summary("extractive")["errors"],
        "idle_seconds": idle_seconds,
        "samples": samples,
        "end / after the first turns": ratios,
        # Judged on PSS, the resident memory of the server and PostgreSQL counted once: the RSS sum
        # counts each shared buffer page once per backend that touched it (12 backends reading the
        # same 32 MB of buffers add up to 384 MB of "RSS" that exist once).
        "target (issue 18): within 20 % after the idle minutes (PSS)": ratios["pss_mib"] <= TARGET_RATIO,
    }
    return Report(
        benchmark="memory",
        description=f"`ariane up` memory after {FIRST_TURNS} turns, after {turns}, and after "
        f"{idle_seconds:.0f} s idle (extractive, {USERS_AT_ONCE} users at a time)",
        series=[Series("turn to done", [turn.done_ms for turn in level.ok])],
        reference="turn to done",
        notes=notes,
    )
