"""The work queue: items run once, retried, failed, taken over from dead processes; periodic tasks."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from server.work import PeriodicTask, WorkFailure, WorkItem, WorkKind, WorkRegistry, enqueue
from server.work.repository import get_item
from tests.server.work.conftest import FAST
from tools.database import Pool

pytestmark = pytest.mark.anyio


async def _until(condition: Callable[[], Awaitable[Any]], seconds: float = 20) -> Any:
    """Wait (bounded) for an observable state; the tests assert on what it then is."""
    with anyio.fail_after(seconds):
        while not (value := await condition()):
            await anyio.sleep(0.05)
    return value


async def _finished(pool: Pool, item_id: str) -> dict[str, Any]:
    async def finished() -> dict[str, Any] | None:
        row = await get_item(pool, item_id)
        return row if row and row["state"] in {"succeeded", "failed"} else None

    result: dict[str, Any] = await _until(finished)
    return result


def _counting(calls: Counter[str], outcome: Callable[[WorkItem], Any] | None = None) -> Any:
    async def handle(item: WorkItem) -> dict[str, Any] | None:
        calls[item.payload["n"]] += 1
        return outcome(item) if outcome else {"done": item.payload["n"]}

    return handle


async def test_an_item_queued_twice_with_one_key_runs_once_and_keeps_its_result(pool, start_worker):
    calls: Counter[str] = Counter()
    registry = WorkRegistry()
    registry.add_kind(WorkKind("test.count", _counting(calls), rerun_safe=True))

    first = await enqueue(pool, "test.count", {"n": "a"}, key="a")
    again = await enqueue(pool, "test.count", {"n": "a"}, key="a")
    await start_worker(registry)
    item = await _finished(pool, first)

    assert again == first
    assert (item["state"], item["result"], item["attempts"]) == ("succeeded", {"done": "a"}, 1)
    assert calls == {"a": 1}


async def test_two_workers_share_the_items_and_run_each_exactly_once(pool, start_worker):
    calls: Counter[str] = Counter()

    async def slow(item: WorkItem) -> None:
        calls[item.payload["n"]] += 1
        await asyncio.sleep(0)  # let the other worker claim meanwhile

    kind = WorkKind("test.count", slow, rerun_safe=True)
    one, two = WorkRegistry(), WorkRegistry()
    one.add_kind(kind)
    two.add_kind(kind)
    await start_worker(one)
    await start_worker(two)

    ids = [await enqueue(pool, "test.count", {"n": str(n)}) for n in range(40)]
    states = [(await _finished(pool, item_id))["state"] for item_id in ids]

    assert states == ["succeeded"] * 40
    assert calls == {str(n): 1 for n in range(40)}


async def test_new_work_wakes_an_idle_worker_through_notify(pool, start_worker):
    calls: Counter[str] = Counter()
    registry = WorkRegistry()
    registry.add_kind(WorkKind("test.count", _counting(calls), rerun_safe=True))
    await start_worker(registry)  # idle for 300 s unless woken

    item_id = await enqueue(pool, "test.count", {"n": "late"})

    assert (await _finished(pool, item_id))["state"] == "succeeded"


async def test_a_failing_handler_is_retried_then_fails_with_its_error(pool, start_worker):
    calls: Counter[str] = Counter()

    def boom(_: WorkItem) -> None:
        raise RuntimeError("upstream down")

    registry = WorkRegistry()
    registry.add_kind(WorkKind("test.flaky", _counting(calls, boom), rerun_safe=True, retry_seconds=0.01))
    item_id = await enqueue(pool, "test.flaky", {"n": "x"}, max_attempts=3)
    await start_worker(registry)
    item = await _finished(pool, item_id)

    assert (item["state"], item["attempts"], item["error"]) == (
        "failed", 3, {"code": "failed", "detail": "RuntimeError: upstream down"},
    )  # fmt: skip
    assert calls == {"x": 3}


async def test_a_work_failure_fails_the_item_at_once(pool, start_worker):
    calls: Counter[str] = Counter()

    def refuse(_: WorkItem) -> None:
        raise WorkFailure("bad_input", "Entrées invalides.")

    registry = WorkRegistry()
    registry.add_kind(WorkKind("test.refused", _counting(calls, refuse), rerun_safe=True))
    item_id = await enqueue(pool, "test.refused", {"n": "x"})
    await start_worker(registry)
    item = await _finished(pool, item_id)

    assert (item["state"], item["attempts"], item["error"]) == (
        "failed", 1, {"code": "bad_input", "detail": "Entrées invalides."},
    )  # fmt: skip


async def _leased_to_a_dead_process(pool: Pool, kind: str, pid: int | None = None) -> str:
    """An item left running by a process that died: its lease expired, or its pid is gone."""
    owner = str(uuid.uuid4())
    async with pool.connection() as conn:
        if pid is not None:
            import socket

            await conn.execute(
                "INSERT INTO processes (id, role, host, pid) VALUES (%s, 'worker', %s, %s)",
                (owner, socket.gethostname(), pid),
            )
        expires = "now() + interval '1 hour'" if pid is not None else "now() - interval '1 second'"
        row = await (
            await conn.execute(
                "INSERT INTO work_items (kind, payload, state, attempts, lease_owner, lease_expires_at) "
                f"VALUES (%s, '{{\"n\": \"left\"}}', 'running', 1, %s, {expires}) RETURNING id::text",
                (kind, owner),
            )
        ).fetchone()
    assert row is not None
    return str(row["id"])


async def test_work_whose_lease_expired_is_run_again_when_that_is_safe(pool, start_worker):
    calls: Counter[str] = Counter()
    registry = WorkRegistry()
    registry.add_kind(WorkKind("test.safe", _counting(calls), rerun_safe=True))
    item_id = await _leased_to_a_dead_process(pool, "test.safe")

    await start_worker(registry)
    item = await _finished(pool, item_id)

    assert (item["state"], item["attempts"], item["result"]) == ("succeeded", 2, {"done": "left"})


async def test_unsafe_work_of_a_dead_process_is_reconciled_and_failed_interrupted_not_rerun(
    pool, start_worker
):
    calls: Counter[str] = Counter()
    reconciled: list[str] = []

    async def interrupted(item: WorkItem) -> None:
        reconciled.append(item.id)

    registry = WorkRegistry()
    registry.add_kind(WorkKind("test.unsafe", _counting(calls), rerun_safe=False, interrupted=interrupted))
    item_id = await _leased_to_a_dead_process(pool, "test.unsafe")

    await start_worker(registry)
    item = await _finished(pool, item_id)

    assert (item["state"], item["error"]["code"]) == ("failed", "interrupted")
    assert reconciled == [item_id]
    assert calls == {}


async def test_a_dead_process_of_this_machine_is_taken_over_at_start_without_waiting_for_its_lease(
    pool, start_worker
):
    ended = subprocess.Popen(["true"])  # a process that has come and gone: its pid runs nothing
    ended.wait()
    dead_pid = ended.pid
    reconciled: list[str] = []

    async def interrupted(item: WorkItem) -> None:
        reconciled.append(item.id)

    registry = WorkRegistry()
    registry.add_kind(
        WorkKind("test.unsafe", _counting(Counter()), rerun_safe=False, interrupted=interrupted)
    )
    item_id = await _leased_to_a_dead_process(pool, "test.unsafe", pid=dead_pid)

    await start_worker(registry)  # its lease had an hour to go: taken over at once all the same
    item = await get_item(pool, item_id)

    assert item is not None
    assert (item["state"], item["error"]["code"]) == ("failed", "interrupted")
    assert reconciled == [item_id]


async def test_a_live_lease_is_renewed_and_not_taken_over(pool, start_worker):
    release = asyncio.Event()
    started: list[str] = []

    async def long(item: WorkItem) -> None:
        started.append(item.id)
        await release.wait()

    def registry() -> WorkRegistry:
        made = WorkRegistry()
        made.add_kind(WorkKind("test.long", long, rerun_safe=True))
        return made

    short = FAST.__class__(concurrency=1, lease_seconds=1.0, heartbeat_seconds=0.2, idle_seconds=0.5)
    await start_worker(registry(), short)
    item_id = await enqueue(pool, "test.long", {"n": "x"})
    await _until(lambda: _returns(bool(started)))
    await start_worker(registry(), short)  # a second worker, looking for expired leases

    async def renewed_three_times_over() -> bool:
        async with pool.connection() as conn:
            row = await (
                await conn.execute(
                    "SELECT lease_expires_at - started_at > interval '3 seconds' AS renewed "
                    "FROM work_items WHERE id = %s",
                    (item_id,),
                )
            ).fetchone()
        return bool(row and row["renewed"])

    await _until(renewed_three_times_over)
    release.set()
    item = await _finished(pool, item_id)

    assert (item["state"], item["attempts"]) == ("succeeded", 1)
    assert started == [item_id]


async def _returns(value: bool) -> bool:
    return value


async def test_a_periodic_task_runs_once_per_interval_whatever_the_number_of_processes(pool, start_worker):
    runs: list[int] = []

    async def tick() -> None:
        runs.append(len(runs))

    def registry() -> WorkRegistry:
        made = WorkRegistry()
        made.add_periodic(PeriodicTask("test.daily", 86400.0, tick))
        return made

    await start_worker(registry())
    await start_worker(registry())
    await start_worker(registry())

    async def recorded() -> bool:
        async with pool.connection() as conn:
            row = await (
                await conn.execute("SELECT last_finished_at FROM periodic_tasks WHERE name = 'test.daily'")
            ).fetchone()
        return bool(row and row["last_finished_at"])

    await _until(recorded)
    assert runs == [0]
