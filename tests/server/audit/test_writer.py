"""The audit writer keeps one chain when it is not the store's only writer.

Another server process (a standalone gateway) writes records of the same runs: each write takes the
writer lock and reads the store's and its traces' heads, so both chains stay whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from server.audit.anchors import AnchorBook, AnchorKey
from server.audit.verify import verify_store, verify_trace
from server.audit.writer import AuditWriter, Pending
from tools.database import open_pool

pytestmark = pytest.mark.anyio

RUN_TRACE = "0" * 31 + "1"
OTHER_TRACE = "0" * 31 + "2"


def _record(trace_id: str, index: int, kind: str = "span") -> Pending:
    return Pending(kind=kind, trace_id=trace_id, body={"name": f"étape {index}"}, name=f"étape {index}")


async def test_two_writers_on_one_store_interleave_into_one_verified_chain(
    database_url: str, tmp_path: Path
) -> None:
    pool = await open_pool(database_url, max_size=2)
    book = AnchorBook(pool, AnchorKey(tmp_path / "audit"))
    first, second = AuditWriter(pool, book), AuditWriter(pool, book)
    first.start()
    second.start()
    try:
        first.submit(_record(RUN_TRACE, 0, "run_start"))
        second.submit(_record(OTHER_TRACE, 0, "run_start"))
        await second.flush()
        for index in range(6):
            # The same run's trace from both writers (a server and its gateway), and another trace.
            first.submit(_record(RUN_TRACE, index))
            await first.flush()
            second.submit(_record(RUN_TRACE if index % 2 else OTHER_TRACE, index))
            second.submit(_record(RUN_TRACE, index))
            await second.flush()
        first.submit(_record(RUN_TRACE, 99, "run_end"))
        first.submit(_record(OTHER_TRACE, 99, "run_end"))
        await first.flush()

        store = await verify_store(pool, book)
        run = await verify_trace(pool, RUN_TRACE, "run")
        other = await verify_trace(pool, OTHER_TRACE, "other")
    finally:
        await first.close()
        await second.close()
        await pool.close()

    assert store.ok, store.problems
    assert store.records == 2 + 6 * 3 + 2
    assert run.ok, run.problems
    assert other.ok, other.problems
    assert run.records == 1 + 6 + 3 + 6 + 1
