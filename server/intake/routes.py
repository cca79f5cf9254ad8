"""`/api/intake`: import scans, the validation queue, decisions, originals and page images, threshold."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.datastructures import UploadFile

from server.auth.roles import Role
from server.auth.schemas import User
from server.deps import require_roles
from server.errors import ApiError, NotFoundError
from server.intake.schemas import (
    Candidate,
    Decision,
    DocumentDetail,
    DocumentSummary,
    ImportResult,
    PatientQuery,
    Status,
    Threshold,
)
from server.intake.service import IntakeService, too_large
from server.messages import MESSAGES

router = APIRouter(prefix="/api/intake", tags=["intake"])
_MULTIPART_OVERHEAD = 64 * 1024
MAX_FILES = 20


def _intake(request: Request) -> IntakeService:
    service: IntakeService | None = getattr(request.app.state, "intake", None)
    if service is None:
        raise NotFoundError(MESSAGES("intake.disabled"), code="intake_disabled")
    return service


Intake = Annotated[IntakeService, Depends(_intake)]


Secretariat = Annotated[User, Depends(require_roles(Role.HEALTH_DATA))]
AiAdmin = Annotated[User, Depends(require_roles(Role.AI_ADMIN))]


@router.post("/documents", status_code=201)
async def import_documents(user: Secretariat, intake: Intake, request: Request) -> list[ImportResult]:
    """Import scans (multipart field `files`, several allowed): stored unchanged with their SHA-256.

    A file already imported answers its first document with `duplicate: true`. Errors: 413
    `scan_too_large`, 415 `unsupported_format`, 400 `invalid_request` (no file) or `empty_scan`.
    """
    limit = intake.settings.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FILES * limit + _MULTIPART_OVERHEAD:
        raise too_large(limit)
    results = []
    async with request.form(max_files=MAX_FILES, max_fields=4) as form:
        uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
        if not uploads:
            raise ApiError(MESSAGES("intake.no_files"), code="invalid_request")
        if any((upload.size or 0) > limit for upload in uploads):
            raise too_large(limit)
        for upload in uploads:
            data = await upload.read()
            results.append(await intake.take_in(upload.filename or "scan", data, "upload", user))
    return results


@router.get("/documents")
async def list_documents(
    user: Secretariat,
    intake: Intake,
    status: Annotated[list[Status] | None, Query(description="Only these statuses (oldest first).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DocumentSummary]:
    """The queue (`?status=to_validate&status=failed`) or the newest documents."""
    return await intake.queue(status, limit, user.language)


@router.get("/documents/{document_id}")
async def get_document(user: Secretariat, intake: Intake, document_id: str) -> DocumentDetail:
    """A document: fields with confidences, candidates, decision, integration and history."""
    return await intake.detail(document_id, user.language)


@router.get("/documents/{document_id}/original")
async def get_original(user: Secretariat, intake: Intake, document_id: str) -> Response:
    """The original file, byte for byte."""
    content, media_type, name = await intake.original(document_id)
    disposition = f"attachment; filename*=UTF-8''{_quoted(name)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/documents/{document_id}/pages/{number}")
async def get_page(user: Secretariat, intake: Intake, document_id: str, number: int) -> Response:
    """A page's image as read (JPEG), for showing beside the fields."""
    return Response(
        await intake.preview(document_id, number),
        media_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=3600"},
    )


@router.post("/documents/{document_id}/decision")
async def decide(user: Secretariat, intake: Intake, document_id: str, body: Decision) -> DocumentDetail:
    """Accept (patient, stay, corrected fields) or reject a document waiting for validation.

    Errors: 409 `not_waiting` (already decided or integrated), 400 `invalid_choice`.
    """
    return await intake.decide(user, document_id, body)


@router.post("/documents/{document_id}/retry")
async def retry(user: Secretariat, intake: Intake, document_id: str) -> DocumentDetail:
    """Read a failed document again from the start (409 `not_failed` otherwise)."""
    return await intake.retry(user, document_id)


@router.post("/patients/search")
async def search_patients(user: Secretariat, intake: Intake, body: PatientQuery) -> list[Candidate]:
    """Look patients up in the DPI (IPP, last name, birth date), with their stays."""
    return await intake.search_patients(body, user.language)


@router.get("/threshold")
async def get_threshold(user: Secretariat, intake: Intake) -> Threshold:
    """The confidence above which documents are integrated without validation."""
    return await intake.threshold()


@router.put("/threshold")
async def set_threshold(user: AiAdmin, intake: Intake, body: Threshold) -> Threshold:
    """Set the straight-through threshold (AI administrators); applies to the next decisions."""
    return await intake.set_threshold(user, body.threshold)


def _quoted(name: str) -> str:
    return quote(name, safe="")
