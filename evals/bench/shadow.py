"""Shadow AI: reading 1 million proxy-log lines — lines per second and peak memory.

The log is the tenant's sample month repeated (each copy shifted by four weeks) up to 1 000 000
lines, written once to a temporary file. Side by side, in the same run, over the same file read in
the same 1 MiB chunks: only splitting the lines (the reference, what any reader pays), Ariane's
reading (parse, catalogue matching, counts), and the whole import (reading, directory join, the
counts written to the embedded PostgreSQL). Memory is the peak resident size above the size before
each run, sampled every 20 ms; it is measured on 100 000 and on 1 000 000 lines: flat means the
same peak for ten times the lines.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from pathlib import Path

from evals.bench.stats import Report, Series
from server.governance.runtime import _tenant_people, file_chunks
from server.governance.shadow.catalogue import HostMatcher, default_document, parse_catalogue
from server.governance.shadow.parsing import LogFormat, read_log
from server.governance.shadow.service import ShadowService
from server.settings import Settings
from tools.database import open_pool
from tools.tenant.proxy_sample import DAYS, sample_lines

LINES = 1_000_000
SMALL = 100_000
ROUNDS = 3
_PAGE = 4096


def _write_log(path: Path, total: int) -> None:
    base = sample_lines()
    shift = DAYS * 86400.0
    written = 0
    with path.open("w", encoding="utf-8") as file:
        copy = 0
        while written < total:
            for line in base:
                if written >= total:
                    break
                head, _, rest = line.partition(" ")
                try:
                    stamp = f"{float(head) + copy * shift:.3f}"
                except ValueError:
                    stamp = head
                file.write(f"{stamp} {rest}\n")
                written += 1
            copy += 1


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * _PAGE


class _PeakMemory:
    """Peak resident size above the size at start, sampled in a thread."""

    def __init__(self) -> None:
        self._start = _rss()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss() - self._start)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss() - self._start)


async def _split_only(path: Path) -> int:
    lines = 0
    async for chunk in file_chunks(path):
        lines += chunk.count(b"\n")
    return lines


async def _read(path: Path) -> int:
    matcher = HostMatcher(parse_catalogue(default_document()))
    _, tally = await read_log(file_chunks(path), matcher, LogFormat.SQUID)
    return tally.lines


async def _timed(run: object, rounds: int) -> tuple[list[float], int]:
    samples, peak = [], 0
    for _ in range(rounds):
        with _PeakMemory() as memory:
            start = time.perf_counter()
            await run()  # type: ignore[operator]
            samples.append((time.perf_counter() - start) * 1000)
        peak = max(peak, memory.peak)
    return samples, peak


async def run() -> Report:
    with tempfile.TemporaryDirectory(prefix="ariane-bench-shadow-") as folder:
        big, small = Path(folder) / "big.log", Path(folder) / "small.log"
        await asyncio.to_thread(_write_log, big, LINES)
        await asyncio.to_thread(_write_log, small, SMALL)
        people = await asyncio.to_thread(_tenant_people)
        size_mb = round(big.stat().st_size / 1e6, 1)

        reference, _ = await _timed(lambda: _split_only(big), ROUNDS)
        reading, read_peak = await _timed(lambda: _read(big), ROUNDS)
        _, small_peak = await _timed(lambda: _read(small), ROUNDS)

        from server.cli.main import database

        base = Settings(data_dir=Path(folder) / "data", web_dist=Path(folder) / "web", _env_file=None)  # type: ignore[call-arg]
        with database(base) as settings:
            assert settings.database_url is not None
            pool = await open_pool(settings.database_url.get_secret_value())
            try:
                shadow = ShadowService(pool, 3, 8 * 1024**3)

                async def directory() -> list[object]:
                    return people  # type: ignore[return-value]

                async def full() -> None:
                    await shadow.import_log(
                        file_chunks(big),
                        name="bench",
                        log_format=LogFormat.SQUID,
                        uploaded_by="bench",
                        directory=directory,  # type: ignore[arg-type]
                    )

                importing, import_peak = await _timed(full, ROUNDS)
            finally:
                await pool.close()

    def rate(samples: list[float]) -> int:
        return int(LINES / (sorted(samples)[len(samples) // 2] / 1000))

    return Report(
        benchmark="shadow",
        description=f"reading a {LINES:,}-line Squid access.log in 1 MiB chunks (ms per whole log)",
        series=[
            Series("split lines only (reference)", reference),
            Series("read: parse, match, count", reading),
            Series("import: read, join, store", importing),
        ],
        reference="split lines only (reference)",
        notes={
            "lines_per_second_read_p50": rate(reading),
            "lines_per_second_import_p50": rate(importing),
            "peak_memory_mib_read_1m_lines": round(read_peak / 2**20, 1),
            "peak_memory_mib_read_100k_lines": round(small_peak / 2**20, 1),
            "peak_memory_mib_import_1m_lines": round(import_peak / 2**20, 1),
            "log_size_mb": size_mb,
        },
    )
