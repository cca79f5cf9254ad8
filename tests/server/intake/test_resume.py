"""Workers that die mid-document: the next one resumes at the stored step and integrates once.

The app runs no worker of its own here (`background` False): each test starts the workers it needs,
on the real work queue, and stops one as a dead process's leases are released.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from typing import Any

import pytest

from server.intake import repository
from server.intake.pipeline import IntakePipeline
from server.intake.schemas import Field
from server.work import Presence, Worker, WorkerConfig, WorkRegistry
from server.work import repository as work_repository
from tests.server.intake.conftest import IntakeApp, steps_left
from tests.server.intake.test_flow import auth, dpi_documents, upload

pytestmark = pytest.mark.anyio
FAST = WorkerConfig(concurrency=2, lease_seconds=30.0, heartbeat_seconds=0.2, idle_seconds=0.2)


@pytest.fixture
def background() -> bool:
    return False


class SimulatedCrash(BaseException):
    """The process dies here (not an error a worker could catch and record)."""


class DpiThatCrashesAfterFiling:
    """Fake DPI wrapper for tests: files the document in the real sample DPI, then the worker 'dies'."""

    def __init__(self, dpi: Any) -> None:
        self.dpi = dpi
        self.filed = asyncio.Event()

    async def find_patients(self, fields: dict[str, Field]) -> list[dict[str, Any]]:
        return await self.dpi.find_patients(fields)

    async def file_document(self, key: str, document: dict[str, Any], content: bytes) -> str:
        await self.dpi.file_document(key, document, content)
        self.filed.set()
        raise SimulatedCrash


class BuggyOcr:
    """Fake reader for tests whose code has a bug: it raises on every call."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, data: bytes, settings: Any) -> list[Any]:
        self.calls += 1
        raise KeyError("page")


@pytest.fixture
async def workers(intake_app: IntakeApp) -> AsyncIterator[Callable[..., Any]]:
    """`await workers(dpi=…, reader=…)`: a started worker process running the intake's steps."""
    async with AsyncExitStack() as stack:

        async def start(dpi: Any = None, reader: Any = None) -> Worker:
            base = intake_app.service.pipeline
            pipeline = IntakePipeline(
                base.pool, base.settings, dpi or base.dpi, base.threshold, reader=reader or intake_app.ocr
            )
            registry = WorkRegistry()
            registry.add_kind(pipeline.work_kind())
            worker = Worker(base.pool, registry, Presence.of_this_process("worker"), None, FAST)
            await worker.start()
            stack.push_async_callback(worker.close)
            return worker

        yield start


async def until(check: Callable[[], Any], timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.02)


async def status_of(intake: IntakeApp, document_id: str) -> str:
    row = await repository.get_document(intake.service.pool, document_id)
    assert row is not None
    return str(row["status"])


async def test_a_crash_between_matched_and_integrated_does_not_integrate_twice(
    intake_app, sample_documents, token_for, workers
):
    [result] = await upload(
        intake_app, auth(token_for), ("s.png", intake_app.ocr.register(sample_documents["scan-07"]))
    )
    document_id = result["document"]["id"]
    real_dpi = intake_app.service.pipeline.dpi
    crashing = DpiThatCrashesAfterFiling(real_dpi)
    dying = await workers(dpi=crashing)
    await asyncio.wait_for(crashing.filed.wait(), 30)  # the DPI filed it; our commit never happens
    assert await status_of(intake_app, document_id) == "integrating"
    assert len(dpi_documents(intake_app)) == 1

    await work_repository.release_owner(intake_app.service.pool, dying.owner)  # the process is gone
    await workers(dpi=real_dpi)  # another replica takes the step over
    await until(lambda: _is(intake_app, document_id, "integrated"))

    row = await repository.get_document(intake_app.service.pool, document_id)
    assert row is not None
    [filed] = dpi_documents(intake_app)
    assert filed["id"] == row["dpi_document_id"]
    await until(lambda: _no_steps_left(intake_app))


async def test_steps_resume_on_another_worker_and_no_document_is_read_twice(
    intake_app, sample_documents, token_for, workers
):
    files = [
        (f"{i}.png", intake_app.ocr.register(sample_documents[i])) for i in ("scan-07", "scan-11", "scan-13")
    ]
    results = await upload(intake_app, auth(token_for), *files)
    ids = [r["document"]["id"] for r in results]
    crashing = DpiThatCrashesAfterFiling(intake_app.service.pipeline.dpi)
    first = await workers(dpi=crashing)
    await asyncio.wait_for(crashing.filed.wait(), 30)
    await first.close()  # stopped mid-way: what it held is released for the others

    await workers()
    for document_id in ids:
        await until(lambda d=document_id: _is(intake_app, d, "integrated"))
    assert intake_app.ocr.calls == 3  # nobody read a document twice
    assert len(dpi_documents(intake_app)) == 3


async def test_a_step_that_keeps_crashing_is_tried_a_bounded_number_of_times_then_shown_with_a_reason(
    intake_app, sample_documents, token_for, workers
):
    [result] = await upload(
        intake_app, auth(token_for), ("s.png", intake_app.ocr.register(sample_documents["scan-07"]))
    )
    buggy = BuggyOcr()
    await workers(reader=buggy)
    await until(lambda: _no_steps_left(intake_app))

    detail = (
        await intake_app.client.get(
            f"/api/intake/documents/{result['document']['id']}", headers=auth(token_for)
        )
    ).json()
    assert detail["status"] == "failed"
    assert buggy.calls == intake_app.service.settings.max_attempts
    assert detail["error"] == (
        "Erreur inattendue à l'étape « lecture » (KeyError), tentative 3 sur 3 : "
        "si elle persiste, signalez-la à l'administrateur."
    )
    english = await intake_app.client.get(
        "/api/intake/documents",
        params={"status": "failed"},
        headers=auth(token_for) | {"Accept-Language": "en"},
    )
    assert [d["error"] for d in english.json()] == [
        "Unexpected error at the « reading » step (KeyError), attempt 3 of 3: "
        "if it persists, report it to the administrator."
    ]
    assert [e["kind"] for e in detail["events"]] == ["received", "step_failed", "step_failed", "step_failed"]
    queue = await intake_app.client.get(
        "/api/intake/documents", params={"status": "failed"}, headers=auth(token_for)
    )
    assert [d["id"] for d in queue.json()] == [result["document"]["id"]]


async def _is(intake: IntakeApp, document_id: str, status: str) -> bool:
    return await status_of(intake, document_id) == status


async def _no_steps_left(intake: IntakeApp) -> bool:
    return await steps_left(intake.service) == 0
