"""Stops and listeners of a run: no event number lost, no stream ended before its `done`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from server.chat import hub as hub_module
from server.chat import repository
from server.chat.hub import Emit, RunHub
from server.chat.schemas import EventType, RunEvent, RunStatus
from tools.database import Pool, open_pool

pytestmark = pytest.mark.anyio


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    opened = await open_pool(database_url, max_size=4)
    yield opened
    await opened.close()


async def _run(pool: Pool) -> str:
    async with pool.connection() as conn:
        user = await (
            await conn.execute(
                "INSERT INTO users (issuer, subject, email, display_name) "
                "VALUES ('test', 's1', 'claire.dubois@chru-exemple.fr', 'Claire Dubois') RETURNING id"
            )
        ).fetchone()
    assert user is not None
    thread = await repository.create_thread(pool, str(user["id"]), "Fil", None)
    run = await repository.create_run(pool, thread.id, str(user["id"]), "Bonjour", None)
    assert run is not None
    return run.id


async def test_a_stop_during_an_event_write_keeps_the_event_and_numbers_the_rest_after_it(
    pool: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = await _run(pool)
    writing_second, release = asyncio.Event(), asyncio.Event()
    real_append = repository.append_event

    async def append_held_at_second(p: Pool, run: str, seq: int, kind: str, data: dict[str, Any]) -> None:
        if seq == 3:  # the stop arrives while this event is on its way to the database
            writing_second.set()
            await release.wait()
        await real_append(p, run, seq, kind, data)

    monkeypatch.setattr(repository, "append_event", append_held_at_second)
    hub = RunHub(pool)

    async def work(emit: Emit) -> None:
        try:
            await emit(EventType.TOKEN, {"text": "Bon"})
            await emit(EventType.TOKEN, {"text": "jour"})
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            await asyncio.shield(_closing(emit))
            raise

    hub.start(run_id, work)
    await writing_second.wait()
    stopping = asyncio.create_task(hub.stop(run_id))
    await asyncio.sleep(0)  # the cancellation is delivered while the write waits
    release.set()
    assert await stopping

    listened = [(e.seq, e.type) for e in [e async for e in hub.events(run_id, 0, finished=False)]]
    stored = [(e.seq, e.type) for e in await repository.events_after(pool, run_id, 0)]
    expected = [
        (1, EventType.STARTED),  # stored with the run
        (2, EventType.TOKEN),
        (3, EventType.TOKEN),
        (4, EventType.ERROR),
        (5, EventType.DONE),
    ]
    assert (stored, listened) == (expected, expected)


async def _closing(emit: Emit) -> None:
    await emit(EventType.ERROR, {"code": "stopped", "detail": "Réponse arrêtée à votre demande."})
    await emit(EventType.DONE, {"status": "stopped"})


@pytest.mark.parametrize("attached", ["before the outcome", "after the outcome"])
async def test_a_listener_elsewhere_gets_done_stored_just_after_the_outcome(
    pool: Pool, monkeypatch: pytest.MonkeyPatch, attached: str
) -> None:
    """Its owner records the stop, then stores `done`: a listener checking in between still gets it."""
    run_id = await _run(pool)
    await repository.append_event(pool, run_id, 2, EventType.TOKEN, {"text": "Bon"})
    await repository.append_event(pool, run_id, 3, EventType.ERROR, {"code": "stopped", "detail": "Arrêtée."})
    await repository.finish_run(pool, run_id, RunStatus.STOPPED, {"error": {"code": "stopped"}})
    real_status, real_events = repository.run_status, repository.events_after
    checks = {"status": 0, "done": False}

    async def status_counted(p: Pool, run: str) -> str | None:
        checks["status"] += 1
        return await real_status(p, run)

    async def events_then_done(p: Pool, run: str, after: int) -> list[RunEvent]:
        found = await real_events(p, run, after)
        if checks["status"] >= 2 and not checks["done"]:  # the listener has seen it ended, no `done`
            checks["done"] = True
            await repository.append_event(p, run, 4, EventType.DONE, {"status": "stopped"})
        return found

    monkeypatch.setattr(repository, "run_status", status_counted)
    monkeypatch.setattr(repository, "events_after", events_then_done)
    monkeypatch.setattr(hub_module, "_REMOTE_CHECK_SECONDS", 0.2)

    finished = attached == "after the outcome"  # as the service sees the run when the client attaches
    seen = [(e.seq, e.type) async for e in RunHub(pool).events(run_id, 0, finished=finished)]

    assert seen == [(1, EventType.STARTED), (2, EventType.TOKEN), (3, EventType.ERROR), (4, EventType.DONE)]
