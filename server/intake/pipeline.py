"""The intake's steps, each run by whichever worker claims the document, resumed where it stopped.

received → read (OCR) → structured (fields) → matched (patient, stay) → integrating or to_validate →
integrated. Each step is a work item of `server/work` (`intake.step`, run by `ariane worker` and
`ariane up`, never by `ariane serve`); it stores its result, the next status and the next step's item
in one transaction, guarded by the status it started from. A worker that dies leaves its lease to run
out; the next worker redoes only the step that was not stored. Integration passes the document's id as
the DPI's idempotency key, so a crash between the DPI's answer and our commit files the document once.
"""

from __future__ import annotations

import logging
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
from server.messages import MESSAGES
from server.work import WorkFailure, WorkItem, WorkKind
from tools.database import Pool
from tools.i18n import Text

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("ariane.intake")

Reader = Callable[[bytes, IntakeSettings], Awaitable[list[ReadPage]]]
STEP_KIND = repository.STEP_KIND
STEP_NAMES = {  # the steps' names in the catalogue (`intake.step.<status>`)
    status: f"intake.step.{status}"
    for status in (Status.RECEIVED, Status.READ, Status.STRUCTURED, Status.MATCHED, Status.INTEGRATING)
}
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

    def __init__(self, detail: str | Text, *, final: bool) -> None:
        super().__init__(str(detail))
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
    """Runs a document's next step: the handler of the `intake.step` work items (`server/work`).

    Each stored step queues the next one in its own transaction; an item whose document has already
    moved on (a retry after the step was stored) does nothing. Failures are retried by the queue with
    back-off up to `max_attempts`, then the document is `failed` with a French reason a secretary can
    act on (« Relancer la lecture »), so that a buggy step never loops.
    """

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
        self._steps = {
            Status.RECEIVED: self._read,
            Status.READ: self._structure,
            Status.STRUCTURED: self._match,
            Status.MATCHED: self._decide,
            Status.INTEGRATING: self._integrate,
        }

    def work_kind(self) -> WorkKind:
        """The kind of work item that runs the steps (steps are idempotent: rerun after a crash)."""
        return WorkKind(
            STEP_KIND,
            self.handle,
            rerun_safe=True,
            interrupted=self.interrupted,
            retry_seconds=self.settings.retry_seconds,
        )

    async def handle(self, item: WorkItem) -> dict[str, Any]:
        """Run the step the item names, if the document is still at it."""
        document_id, expected = item.payload["document"], Status(item.payload["status"])
        row = await repository.get_document(self.pool, document_id)
        if row is None or row["status"] != expected:  # stored by an earlier attempt, or decided meanwhile
            return {"skipped": row["status"] if row else None}
        with tracer.start_as_current_span(f"intake.{expected}") as span:
            span.set_attribute("ariane.intake.document", document_id)
            try:
                await self._steps[expected](row)
            except StepFailedError as exc:
                span.set_attribute("ariane.intake.error", str(exc.detail))
                final = exc.final or item.attempts >= item.max_attempts
                await self._failed(row, expected, exc.detail, item.attempts, final=final)
                if final:
                    raise WorkFailure("step_failed", str(exc.detail)) from exc
                raise
            except Exception as exc:  # a bug in a step: bounded retries, then a reason in the queue
                span.set_attribute("ariane.intake.error", type(exc).__name__)
                final = item.attempts >= item.max_attempts
                detail = MESSAGES(
                    "intake.step_crashed",
                    step=MESSAGES(STEP_NAMES[expected]),
                    error=type(exc).__name__,
                    attempt=item.attempts,
                    allowed=item.max_attempts,
                )
                await self._failed(row, expected, detail, item.attempts, final=final)
                if final:
                    raise WorkFailure("step_crashed", str(detail)) from exc
                raise
        return {"step": str(expected)}

    async def interrupted(self, item: WorkItem) -> None:
        """Its workers kept dying at this step: the document is `failed` instead of stuck."""
        row = await repository.get_document(self.pool, item.payload["document"])
        expected = Status(item.payload["status"])
        if row is not None and row["status"] == expected:
            detail = MESSAGES(
                "intake.step_interrupted", step=MESSAGES(STEP_NAMES[expected]), attempts=item.attempts
            )
            await self._failed(row, expected, detail, item.attempts, final=True)

    async def _failed(
        self, row: dict[str, Any], status: Status, detail: str | Text, attempts: int, *, final: bool
    ) -> None:
        logger.info("intake: %s failed at %s (attempt %d): %s", row["id"], status, attempts, detail)
        await repository.record_failure(self.pool, row["id"], status, detail, attempts, final=final)

    async def _advance(
        self,
        row: dict[str, Any],
        status: Status,
        changes: dict[str, Any],
        event: tuple[str, dict[str, Any]],
        **extra: Any,
    ) -> None:
        expected = (Status(row["status"]),)
        stored = await repository.advance(
            self.pool,
            row["id"],
            status,
            changes,
            event,
            expected=expected,
            max_attempts=self.settings.max_attempts,
            **extra,
        )
        if not stored:
            logger.warning("intake: %s moved on before %s was stored", row["id"], status)

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
            {"page_count": len(pages), "error": None, "error_text": None},
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
        changes = {
            "dpi_document_id": dpi_id,
            "integrated_at": datetime.now(UTC),
            "error": None,
            "error_text": None,
        }
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
