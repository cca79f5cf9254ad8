"""`python -m evals.bench [NAME ...]`: run the benchmarks, print tables, write evals/reports/*.json."""

from __future__ import annotations

import asyncio
import logging
import sys
import warnings
from collections.abc import Awaitable, Callable

from evals.bench import (
    audit,
    auth,
    batch,
    chat,
    detection,
    gateway,
    intake,
    knowledge,
    load,
    memory,
    scale,
    shadow,
    tools,
)
from evals.bench.stats import Report

BENCHMARKS: dict[str, Callable[[], Awaitable[Report]]] = {
    "auth": auth.run,
    "tools": tools.run,
    "gateway": gateway.run,
    "detection": detection.run,
    "chat": chat.run,
    "knowledge": knowledge.run,
    "audit": audit.run,
    "intake": intake.run,
    "scale": scale.run,
    "batch": batch.run,
    "load": load.run,
    "memory": memory.run,
    "shadow": shadow.run,
}


def main(names: list[str]) -> int:
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    logging.basicConfig(level=logging.WARNING)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    for name in names or list(BENCHMARKS):
        path = asyncio.run(BENCHMARKS[name]()).print_and_save()
        print(f"  report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
