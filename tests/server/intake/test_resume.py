"""A worker that dies mid-document: the next one resumes at the stored step and integrates once."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from server.intake import repository
from server.intake.pipeline import IntakePipeline
from server.intake.schemas import Field
from tests.server.intake.conftest import IntakeApp
from tests.server.intake.test_flow import auth, dpi_documents, upload

pytestmark = pytest.mark.anyio


class SimulatedCrash(BaseException):
    """The process dies here (not an error a worker could catch and record)."""


class DpiThatCrashesAfterFiling:
    """Fake DPI wrapper for tests: files the document in the real sample DPI, then the worker 'dies'."""

    def __init__(self, dpi: Any) -> None:
        self.dpi = dpi

    async def find_patients(self, fields: dict[str, Field]) -> list[dict[str, Any]]:
        return await self.dpi.find_patients(fields)

    async def file_document(self, key: str, document: dict[str, Any], content: bytes) -> str:
        await self.dpi.file_document(key, document, content)
        raise SimulatedCrash


def expire_leases(database_url: str) -> None:
    """Time passes: every lease runs out (as when its worker stopped renewing it)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE intake_documents SET lease_until = now() - interval '1 second'")


def replacement(intake: IntakeApp, dpi: Any) -> IntakePipeline:
    """Another worker process, with its own identity."""
    pipeline = intake.service.pipeline
    return IntakePipeline(pipeline.pool, pipeline.settings, dpi, pipeline.threshold, reader=intake.ocr)


async def test_a_crash_between_matched_and_integrated_does_not_integrate_twice(
    intake_app, sample_documents, token_for, database_url
):
    [result] = await upload(
        intake_app, auth(token_for), ("s.png", intake_app.ocr.register(sample_documents["scan-07"]))
    )
    real_dpi = intake_app.service.pipeline.dpi
    dying = replacement(intake_app, DpiThatCrashesAfterFiling(real_dpi))
    for _ in range(4):  # read, structure, match, decide
        assert await dying.run_once()
    with pytest.raises(SimulatedCrash):
        await dying.run_once()  # the DPI filed it; our commit never happened
    row = await repository.get_document(intake_app.service.pool, result["document"]["id"])
    assert row is not None
    assert row["status"] == "integrating"
    assert len(dpi_documents(intake_app)) == 1

    assert not await replacement(intake_app, real_dpi).run_once()  # the dead worker's lease still holds
    expire_leases(database_url)
    assert await replacement(intake_app, real_dpi).run_until_idle() == 1

    row = await repository.get_document(intake_app.service.pool, result["document"]["id"])
    assert row is not None
    assert row["status"] == "integrated"
    [filed] = dpi_documents(intake_app)
    assert filed["id"] == row["dpi_document_id"]


async def test_a_restart_resumes_each_document_at_its_step_without_reading_it_again(
    intake_app, sample_documents, token_for, database_url
):
    files = [
        (f"{i}.png", intake_app.ocr.register(sample_documents[i])) for i in ("scan-07", "scan-11", "scan-13")
    ]
    results = await upload(intake_app, auth(token_for), *files)
    first = replacement(intake_app, intake_app.service.pipeline.dpi)
    for _ in range(3):  # the oldest document is read, structured, matched
        assert await first.run_once()
    await repository.claim(first.pool, first.owner, 300)  # it had taken the decision step when it died
    assert await statuses(first, results) == ["matched", "received", "received"]

    second = replacement(intake_app, intake_app.service.pipeline.dpi)
    await second.run_until_idle()  # the others go on; the held one waits for its lease to run out
    assert await statuses(first, results) == ["matched", "integrated", "integrated"]
    expire_leases(database_url)
    await second.run_until_idle()

    assert await statuses(first, results) == ["integrated", "integrated", "integrated"]
    assert intake_app.ocr.calls == 3  # nobody read a document twice
    assert len(dpi_documents(intake_app)) == 3


async def statuses(pipeline: IntakePipeline, results: list[dict[str, Any]]) -> list[str]:
    rows = [await repository.get_document(pipeline.pool, r["document"]["id"]) for r in results]
    return [row["status"] for row in rows if row is not None]
