"""The intake's steps, each run by whichever worker claims the document, resumed where it stopped.

received → read (OCR) → structured (fields) → matched (patient, stay) → integrating or to_validate →
integrated. Each step stores its result and the next status in one transaction while its worker holds
the document's lease; a worker that dies leaves the lease to run out, and the next worker redoes only
the step that was not stored. Integration passes the document's id as the DPI's idempotency key, so a
crash between the DPI's answer and our commit files the document once, not twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

from server.intake import repository
from server.intake.dpi import Dpi, DpiError
from server.intake.matching import match
from server.intake.ocr import ReadError, ReadPage, read_scan
from server.intake.schemas import Field, Match, Status
from server.intake.settings import IntakeSettings
from server.intake.structure import structure
from tools.database import Pool

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("ariane.intake")

Reader = Callable[[bytes, IntakeSettings], Awaitable[list[ReadPage]]]
REQUIRED_FIELDS = ("type", "nom", "prenom", "date_naissance", "date")
LOW_FIELD = 0.5  # below this a required field sends the document to a person, whatever the match says
TITLES = {
    "biologie": "Résultats de biologie",
    "hospitalisation": "Compte rendu d'hospitalisation",
    "consultation": "Compte rendu de consultation",
    "imagerie": "Compte rendu d'imagerie",
    "autre": "Courrier",
}


class StepFailedError(Exception):
    """A step failed in a way worth retrying later (`final` False) or not."""

    def __init__(self, detail: str, *, final: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.final = final


def fields_of(row: dict[str, Any]) -> dict[str, Field]:
    """The stored fields as models."""
    return {name: Field.model_validate(value) for name, value in (row["fields"] or {}).items()}


def decision_confidence(fields: dict[str, Field], found: Match) -> float:
    """How sure the whole document is: the match's confidence, unless a required field is missing or weak."""
    if found.exception:
        return 0.0
    weakest = min((fields[name].confidence if name in fields else 0.0) for name in REQUIRED_FIELDS)
    return found.confidence if weakest >= LOW_FIELD else min(found.confidence, weakest)


class IntakePipeline:
    """Claims runnable documents and runs their next step."""

    def __init__(
        self,
        pool: Pool,
        settings: IntakeSettings,
        dpi: Dpi,
        threshold: Callable[[], Awaitable[float]],
        reader: Reader = read_scan,
    ) -> None:
        self.pool = pool
        self.reader = reader
        self.settings = settings
        self.dpi = dpi
        self.threshold = threshold
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.wake = asyncio.Event()
        self._steps = {
            Status.RECEIVED: self._read,
            Status.READ: self._structure,
            Status.STRUCTURED: self._match,
            Status.MATCHED: self._decide,
            Status.INTEGRATING: self._integrate,
        }

    async def run_once(self) -> bool:
        """Run one step of the oldest runnable document; False when there was nothing to do."""
        row = await repository.claim(self.pool, self.owner, self.settings.lease_seconds)
        if row is None:
            return False
        status = Status(row["status"])
        with tracer.start_as_current_span(f"intake.{status}") as span:
            span.set_attribute("ariane.intake.document", row["id"])
            try:
                await self._steps[status](row)
            except StepFailedError as exc:
                allowed = 1 if exc.final else self.settings.max_attempts
                after = await repository.fail_attempt(self.pool, row["id"], self.owner, exc.detail, allowed)
                span.set_attribute("ariane.intake.error", exc.detail)
                logger.info("intake: %s failed at %s (%s): %s", row["id"], status, after, exc.detail)
        return True

    async def run_until_idle(self, limit: int = 1000) -> int:
        """Run steps until none is left (tests, `ariane intake import`); how many ran."""
        done = 0
        while done < limit and await self.run_once():
            done += 1
        return done

    async def run_forever(self) -> None:
        """Work while there is work; otherwise wait to be woken or for the next poll."""
        while True:
            try:
                busy = await self.run_once()
            except Exception:  # a worker loop must survive any one document's surprise; logged with its trace
                logger.exception("intake: step crashed")
                busy = False
            if not busy:
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), self.settings.poll_seconds)

    async def _advance(
        self,
        row: dict[str, Any],
        status: Status,
        changes: dict[str, Any],
        event: tuple[str, dict[str, Any]],
        **extra: Any,
    ) -> None:
        stored = await repository.advance(self.pool, row["id"], self.owner, status, changes, event, **extra)
        if not stored:
            logger.warning("intake: lease on %s lost before %s was stored", row["id"], status)

    async def _read(self, row: dict[str, Any]) -> None:
        content = await repository.original(self.pool, row["id"])
        assert content is not None, "an original is stored with its document"
        try:
            pages = await self.reader(content, self.settings)
        except ReadError as exc:
            raise StepFailedError(exc.detail, final=exc.final) from exc
        stored = [
            {"number": p.number, "width": p.width, "height": p.height, "words": p.words, "preview": p.preview}
            for p in pages
        ]
        words = sum(len(p.words) for p in pages)
        await self._advance(
            row,
            Status.READ,
            {"page_count": len(pages), "error": None},
            ("read", {"pages": len(pages), "words": words}),
            pages=stored,
        )

    async def _structure(self, row: dict[str, Any]) -> None:
        pages = await repository.pages(self.pool, row["id"])
        fields = structure([{"words": page["words"]} for page in pages])
        dumped = {name: field.model_dump() for name, field in fields.items()}
        summary = {name: [field.value, field.confidence] for name, field in fields.items()}
        await self._advance(row, Status.STRUCTURED, {"fields": dumped}, ("structured", {"fields": summary}))

    async def _match(self, row: dict[str, Any]) -> None:
        fields = fields_of(row)
        try:
            patients = await self.dpi.find_patients(fields)
        except DpiError as exc:
            raise StepFailedError(exc.detail, final=not exc.retry) from exc
        found = match(fields, patients)
        changes = {
            "match": found.model_dump(),
            "chosen_ipp": found.ipp,
            "chosen_nda": found.nda,
            "confidence": decision_confidence(fields, found),
        }
        detail = {
            "ipp": found.ipp,
            "nda": found.nda,
            "confidence": found.confidence,
            "exception": found.exception,
            "candidates": [c.ipp for c in found.candidates],
        }
        await self._advance(row, Status.MATCHED, changes, ("matched", detail))

    async def _decide(self, row: dict[str, Any]) -> None:
        threshold = await self.threshold()
        found = Match.model_validate(row["match"])
        confidence = float(row["confidence"] or 0.0)
        detail = {"confidence": confidence, "threshold": threshold, "exception": found.exception}
        if found.exception is None and found.ipp and found.nda and confidence >= threshold:
            changes = {"route": "straight_through", "threshold": threshold}
            await self._advance(row, Status.INTEGRATING, changes, ("straight_through", detail))
        else:
            await self._advance(
                row,
                Status.TO_VALIDATE,
                {"route": "validation", "threshold": threshold},
                ("queued_for_validation", detail),
            )

    async def _integrate(self, row: dict[str, Any]) -> None:
        fields = fields_of(row)
        content = await repository.original(self.pool, row["id"])
        assert content is not None
        kind = fields["type"].value if "type" in fields else "autre"
        day = fields["date"].value if "date" in fields else row["created_at"].date().isoformat()
        document = {
            "ipp": row["chosen_ipp"],
            "nda": row["chosen_nda"],
            "type": kind,
            "date": day,
            "auteur": fields["auteur"].value if "auteur" in fields else "",
            "titre": f"{TITLES.get(kind, 'Courrier')} du {day}",
            "media_type": row["media_type"],
            "digest": row["digest"],
            "filed_by": "Ariane — courrier entrant",
        }
        try:
            dpi_id = await self.dpi.file_document(row["id"], document, content)
        except DpiError as exc:
            raise StepFailedError(exc.detail, final=not exc.retry) from exc
        changes = {"dpi_document_id": dpi_id, "integrated_at": datetime.now(UTC), "error": None}
        event = (
            "integrated",
            {
                "dpi_document_id": dpi_id,
                "ipp": row["chosen_ipp"],
                "nda": row["chosen_nda"],
                "route": row["route"],
            },
        )
        await self._advance(row, Status.INTEGRATED, changes, event)
