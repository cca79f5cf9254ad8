"""Taking scans in, the secretariat's queue and decisions, and the straight-through threshold."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from server.auth.schemas import User
from server.errors import ApiError, NotFoundError
from server.intake import history, repository
from server.intake.dpi import Dpi, DpiError
from server.intake.matching import match_shown
from server.intake.pipeline import IntakePipeline, fields_of
from server.intake.reader import SIGNATURES
from server.intake.schemas import (
    Candidate,
    Decision,
    DocumentDetail,
    DocumentSummary,
    Event,
    Field,
    ImportResult,
    Match,
    PatientQuery,
    Source,
    Status,
    Stay,
    Threshold,
)
from server.intake.settings import IntakeSettings
from server.messages import MESSAGES
from tools.database import Pool, is_uuid
from tools.i18n import DEFAULT_LANGUAGE, Language

MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "tiff": "image/tiff", "pdf": "application/pdf"}
EDITABLE_FIELDS = {"type", "nom", "prenom", "date_naissance", "ipp", "date", "auteur"}


class ConflictError(ApiError):
    """The document is no longer in a state that allows this."""

    status_code = 409
    code = "conflict"


def media_type(data: bytes) -> str:
    """The media type from the file's first bytes.

    Raises:
        ApiError: 415 `unsupported_format`.
    """
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            return MEDIA_TYPES[kind]
    error = ApiError(MESSAGES("intake.unsupported_format"), code="unsupported_format")
    error.status_code = 415
    raise error


def too_large(limit: int) -> ApiError:
    """413 with the limit in megabytes."""
    error = ApiError(
        MESSAGES("intake.scan_too_large", megabytes=limit // (1024 * 1024)), code="scan_too_large"
    )
    error.status_code = 413
    return error


def summary(row: dict[str, Any], language: Language = DEFAULT_LANGUAGE) -> DocumentSummary:
    """A stored row as the queue shows it."""
    fields = fields_of(row)
    found = Match.model_validate(row["match"]) if row["match"] else None
    patient = None
    if "nom" in fields:
        patient = f"{fields['nom'].value} {fields['prenom'].value if 'prenom' in fields else ''}".strip()
    return DocumentSummary(
        id=row["id"],
        file_name=row["file_name"],
        media_type=row["media_type"],
        size_bytes=row["size_bytes"],
        digest=row["digest"],
        source=row["source"],
        status=Status(row["status"]),
        route=row["route"],
        confidence=row["confidence"],
        document_type=fields["type"].value if "type" in fields else None,
        patient=patient,
        exception=found.exception if found else None,
        error=MESSAGES.shown(row["error"], row["error_text"], language) if row["error"] else None,
        page_count=row["page_count"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class IntakeService:
    """What the routes, the command line and the drop folder call."""

    def __init__(self, pool: Pool, settings: IntakeSettings, dpi: Dpi, pipeline: IntakePipeline) -> None:
        self.pool = pool
        self.settings = settings
        self.dpi = dpi
        self.pipeline = pipeline

    async def threshold(self) -> Threshold:
        """The threshold in force: the newest an administrator set, else the setting."""
        row = await repository.current_threshold(self.pool)
        if row is None:
            return Threshold(threshold=self.settings.threshold)
        return Threshold(
            threshold=round(float(row["threshold"]), 4), set_by=row["set_by"], set_at=row["set_at"]
        )

    async def threshold_value(self) -> float:
        """Just the number (the pipeline's decision step)."""
        return (await self.threshold()).threshold

    async def set_threshold(self, user: User, value: float) -> Threshold:
        """Record an administrator's threshold; it applies to the next decisions."""
        await repository.set_threshold(self.pool, value, user.id)
        return await self.threshold()

    async def take_in(self, file_name: str, data: bytes, source: Source, user: User | None) -> ImportResult:
        """Store a scan unchanged with its digest; the same bytes again answer the first document.

        Raises:
            ApiError: 413 `scan_too_large`, 415 `unsupported_format`, 400 `empty_scan`.
        """
        if not data:
            raise ApiError(MESSAGES("intake.empty_file"), code="empty_scan")
        if len(data) > self.settings.max_upload_bytes:
            raise too_large(self.settings.max_upload_bytes)
        record = {
            "digest": hashlib.sha256(data).hexdigest(),
            "file_name": _safe_name(file_name),
            "media_type": media_type(data),
            "size_bytes": len(data),
            "source": source,
        }
        row, created = await repository.insert_document(
            self.pool, record, data, user.id if user else None, self.settings.max_attempts
        )
        return ImportResult(
            document=summary(row, user.language if user else DEFAULT_LANGUAGE), duplicate=not created
        )

    async def queue(
        self, statuses: list[Status] | None, limit: int, language: Language = DEFAULT_LANGUAGE
    ) -> list[DocumentSummary]:
        """Documents in these statuses (oldest first), or the newest of all."""
        rows = await repository.list_documents(
            self.pool, [str(s) for s in statuses] if statuses else None, limit
        )
        return [summary(row, language) for row in rows]

    async def _row(self, document_id: str) -> dict[str, Any]:
        row = await repository.get_document(self.pool, document_id) if is_uuid(document_id) else None
        if row is None:
            raise NotFoundError(MESSAGES("intake.document_not_found"), code="document_not_found")
        return row

    async def detail(self, document_id: str, language: Language = DEFAULT_LANGUAGE) -> DocumentDetail:
        """A document with its fields, matching, history and the threshold it was (or will be) judged by.

        What was decided with it (its last error, the match's reasons) is told in `language`; its
        history as it was recorded.
        """
        row = await self._row(document_id)
        events = [
            Event(at=e["at"], kind=e["kind"], actor=e["actor"], detail=e["detail"])
            for e in await repository.events(self.pool, document_id)
        ]
        threshold = row["threshold"] if row["threshold"] is not None else await self.threshold_value()
        return DocumentDetail(
            **summary(row, language).model_dump(),
            fields=fields_of(row),
            match=match_shown(row["match"], language) if row["match"] else None,
            threshold=threshold,
            dpi_document_id=row["dpi_document_id"],
            integrated_at=row["integrated_at"],
            events=events,
            history_intact=history.verify(
                document_id, await repository.chained_events(self.pool, document_id)
            ),
        )

    async def original(self, document_id: str) -> tuple[bytes, str, str]:
        """The original file, its media type and name."""
        row = await self._row(document_id)
        content = await repository.original(self.pool, document_id)
        assert content is not None
        return content, row["media_type"], row["file_name"]

    async def preview(self, document_id: str, number: int) -> bytes:
        """A page's preview (JPEG)."""
        await self._row(document_id)
        image = await repository.preview(self.pool, document_id, number)
        if image is None:
            raise NotFoundError(MESSAGES("intake.page_not_found"), code="page_not_found")
        return image

    async def decide(self, user: User, document_id: str, decision: Decision) -> DocumentDetail:
        """Accept (with the chosen patient and stay, and corrected fields) or reject a waiting document.

        Raises:
            ConflictError: the document is not waiting for validation (decided elsewhere, integrated…).
            ApiError: 400 `invalid_choice` (no stay chosen, a stay not the patient's, unknown field).
        """
        row = await self._row(document_id)
        if row["status"] != Status.TO_VALIDATE:
            raise ConflictError(MESSAGES("intake.not_waiting"), code="not_waiting")
        if decision.action == "reject":
            stored = await repository.advance(
                self.pool,
                document_id,
                Status.REJECTED,
                {},
                ("rejected", {"reason": decision.reason or ""}),
                actor_id=user.id,
                expected=(Status.TO_VALIDATE,),
            )
        else:
            changes, corrections = await self._accepted(row, decision)
            stored = await repository.advance(
                self.pool,
                document_id,
                Status.INTEGRATING,
                changes,
                (
                    "validated",
                    {"ipp": changes["chosen_ipp"], "nda": changes["chosen_nda"], "corrections": corrections},
                ),
                actor_id=user.id,
                expected=(Status.TO_VALIDATE,),
                max_attempts=self.settings.max_attempts,
            )
        if not stored:
            raise ConflictError(MESSAGES("intake.just_handled"), code="not_waiting")
        return await self.detail(document_id, user.language)

    async def _accepted(
        self, row: dict[str, Any], decision: Decision
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        found = Match.model_validate(row["match"]) if row["match"] else None
        ipp = decision.ipp or (found.ipp if found else None)
        nda = decision.nda or (found.nda if found and ipp == found.ipp else None)
        if not ipp or not nda:
            raise ApiError(MESSAGES("intake.choose_patient"), code="invalid_choice")
        unknown = set(decision.fields) - EDITABLE_FIELDS
        if unknown:
            raise ApiError(
                MESSAGES("intake.unknown_fields", fields=", ".join(sorted(unknown))), code="invalid_choice"
            )
        try:
            patients = await self.dpi.find_patients({"ipp": Field(value=ipp, confidence=1.0)})
        except DpiError as exc:
            error = ApiError(exc.detail, code="dpi_unavailable")
            error.status_code = 503
            raise error from exc
        patient = next((p for p in patients if p["ipp"] == ipp), None)
        if patient is None or nda not in {stay["nda"] for stay in patient["stays"]}:
            raise ApiError(MESSAGES("intake.stay_not_of_patient"), code="invalid_choice")
        fields = fields_of(row)
        corrections = {}
        for name, value in decision.fields.items():
            before = fields[name].value if name in fields else None
            if value.strip() and value.strip() != before:
                corrections[name] = {"from": before, "to": value.strip()}
                fields[name] = Field(value=value.strip(), confidence=1.0, corrected=True)
        changes = {
            "chosen_ipp": ipp,
            "chosen_nda": nda,
            "fields": {k: f.model_dump() for k, f in fields.items()},
        }
        return changes, corrections

    async def search_patients(
        self, query: PatientQuery, language: Language = DEFAULT_LANGUAGE
    ) -> list[Candidate]:
        """Patients of the DPI for a secretary to choose from when the candidates are not the right ones.

        Raises:
            ApiError: 400 `invalid_request` (nothing to search), 503 `dpi_unavailable`.
        """
        given = {
            name: Field(value=value.strip(), confidence=1.0)
            for name, value in query.model_dump().items()
            if value and value.strip()
        }
        if not given:
            raise ApiError(MESSAGES("intake.search_needs_criteria"), code="invalid_request")
        try:
            patients = await self.dpi.find_patients(given)
        except DpiError as exc:
            error = ApiError(exc.detail, code="dpi_unavailable")
            error.status_code = 503
            raise error from exc
        return [
            Candidate(
                ipp=p["ipp"],
                nom=p["nom"],
                prenom=p["prenom"],
                nom_naissance=p.get("nom_naissance"),
                date_naissance=p["date_naissance"],
                confidence=0.0,
                reasons=[MESSAGES.text("intake.reason.search", language)],
                stays=[Stay(**stay) for stay in p["stays"]],
            )
            for p in patients
        ]

    async def retry(self, user: User, document_id: str) -> DocumentDetail:
        """Read a failed document again from the start."""
        await self._row(document_id)
        if not await repository.retry(self.pool, document_id, user.id, self.settings.max_attempts):
            raise ConflictError(MESSAGES("intake.not_failed"), code="not_failed")
        return await self.detail(document_id, user.language)


def _safe_name(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = "".join(c for c in base if c.isprintable())[:200].strip()
    return cleaned or "scan"
