"""Intake fixtures: the app (its in-process worker runs the steps), a fake OCR, sample scans."""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image, ImageDraw

from server.app import create_app
from server.intake.ocr import ReadError, ReadPage
from server.intake.service import IntakeService
from server.intake.settings import IntakeSettings
from server.settings import Settings
from tools.tenant.scans.build import documents
from tools.tenant.scans.content import Document

SECRETARY = "ines.moreau@chru-exemple.fr"
ADMIN = "thomas.roux@chru-exemple.fr"
OTHER = "claire.dubois@chru-exemple.fr"


def tiny_scan(label: str) -> bytes:
    """A small real PNG whose bytes (hence digest) are the label's own."""
    image = Image.new("L", (200, 60), 255)
    ImageDraw.Draw(image).text((5, 20), label, fill=0)
    sink = io.BytesIO()
    image.save(sink, "PNG")
    return sink.getvalue()


def words_of(document: Document) -> list[list[list[Any]]]:
    """The words OCR would read on each page if it read perfectly (one line per text line)."""
    pages = []
    for lines in document.pages:
        words = []
        for number, line in enumerate(lines):
            text = "   ".join(line.cells) if line.cells else line.text
            x = 100
            for word in text.split():
                words.append([word, 95.0, x, 100 + 40 * number, 12 * len(word), 30, f"1.{number}.1"])
                x += 12 * len(word) + 12
        pages.append(words)
    return pages


@dataclass
class FakeOcr:
    """Stands in for Tesseract in tests: reads the sample document registered under a file's digest."""

    by_digest: dict[str, Document]
    calls: int = 0

    def register(self, document: Document) -> bytes:
        data = tiny_scan(document.id)
        self.by_digest[hashlib.sha256(data).hexdigest()] = document
        return data

    async def __call__(self, data: bytes, settings: IntakeSettings) -> list[ReadPage]:
        self.calls += 1
        document = self.by_digest.get(hashlib.sha256(data).hexdigest())
        if document is None:
            raise ReadError("unreadable_scan", "Fichier illisible.")
        return [
            ReadPage(n, 1654, 2339, words, b"jpeg") for n, words in enumerate(words_of(document), start=1)
        ]


@pytest.fixture(scope="session")
def sample_documents() -> dict[str, Document]:
    return {document.id: document for document in documents()}


@dataclass
class IntakeApp:
    client: httpx.AsyncClient
    service: IntakeService
    ocr: FakeOcr
    tenant_data: Path

    async def settled(self, timeout: float = 30.0) -> None:
        """Wait until no step is queued or running (the workers have done what they could)."""
        async with asyncio.timeout(timeout):
            while await steps_left(self.service):
                await asyncio.sleep(0.02)


async def steps_left(service: IntakeService) -> int:
    """Intake steps queued or running in the work queue."""
    async with service.pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT count(*) AS n FROM work_items "
            "WHERE kind = 'intake.step' AND state IN ('queued', 'running')"
        )
        row = await cursor.fetchone()
    assert row is not None
    return int(row["n"])


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings, with a failed step tried again at once (no waiting in tests)."""
    intake = settings.intake.model_copy(update={"retry_seconds": 0.01})
    return settings.model_copy(update={"intake": intake})


@pytest.fixture
def background() -> bool:
    """Whether the app runs its in-process worker (the intake's steps with it)."""
    return True


@pytest.fixture
async def intake_app(settings: Settings, tenant_app, tenant_settings, background) -> AsyncIterator[IntakeApp]:  # type: ignore[no-untyped-def]
    app = create_app(settings, identity_transport=httpx.ASGITransport(app=tenant_app), background=background)
    async with app.router.lifespan_context(app):
        service: IntakeService = app.state.intake
        ocr = FakeOcr({})
        service.pipeline.reader = ocr
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://ariane.test"
        ) as client:
            yield IntakeApp(client, service, ocr, tenant_settings.data_dir)
