"""`/api/batches`: batch letters (Courriers en série) of the signed-in user."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.datastructures import UploadFile

from server.batches import exports, repository
from server.batches.reading import TableTooLargeError
from server.batches.schemas import (
    Batch,
    BatchUpdate,
    ModelOptions,
    PreviewRow,
    ReviewAll,
    ReviewIn,
    RowOut,
    RowStatus,
    SharePointFile,
    SharePointTable,
)
from server.batches.service import BatchService, BatchStateError
from server.batches.sharepoint import download_table, list_tables
from server.batches.views import final_text
from server.deps import CurrentUser
from server.errors import ApiError
from server.gateway.policy import DataClass
from server.messages import MESSAGES

router = APIRouter(prefix="/api/batches", tags=["batches"])
_MULTIPART_OVERHEAD = 64 * 1024
PARIS = ZoneInfo("Europe/Paris")
ExportFormat = Literal["csv", "xlsx", "docx", "zip"]
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}


def _batches(request: Request) -> BatchService:
    service: BatchService = request.app.state.batches
    return service


Batches = Annotated[BatchService, Depends(_batches)]


@router.get("")
async def list_batches(user: CurrentUser, batches: Batches) -> list[Batch]:
    """The user's batches, newest first."""
    return await batches.mine(user)


_TABLE_UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "CSV or XLSX."},
                        "data_class": {"type": "string", "enum": [c.value for c in DataClass]},
                    },
                }
            }
        },
    },
    "responses": {
        "422": {
            "description": "Le fichier n'est pas un tableau utilisable (encodage, formule, colonnes…).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    },
}


@router.post("", status_code=201, openapi_extra=_TABLE_UPLOAD)
async def upload_table(user: CurrentUser, batches: Batches, request: Request) -> Batch:
    """Upload a CSV or XLSX table (multipart `file`, optional `data_class`): a draft batch.

    Errors: 413 `table_too_large`, 422 `invalid_table` and its kinds (`unreadable_encoding`,
    `empty_table`, `formula_in_table`, `ragged_table`, `duplicate_column`, `unsupported_table`,
    `table_too_complex` past the bounded reader's limits…).
    """
    limit = batches.limits.max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _MULTIPART_OVERHEAD:
        raise _too_large(limit)  # refused before reading the body
    async with request.form(max_files=1, max_fields=4, max_part_size=limit + 1) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ApiError(MESSAGES("batches.file_missing"), code="invalid_request")
        if (upload.size or 0) > limit:
            raise _too_large(limit)
        data = await upload.read()
        filename = upload.filename
        data_class = _data_class(form.get("data_class"))
    return await batches.create(user, filename, data, data_class=data_class)


@router.get("/sharepoint")
async def sharepoint_tables(user: CurrentUser, request: Request) -> list[SharePointFile]:
    """CSV and XLSX files in the SharePoint sites the user may open, to pick a table from."""
    return [SharePointFile(**table) for table in await list_tables(request.app.state.batch_graph, user.token)]


@router.post("/sharepoint", status_code=201)
async def table_from_sharepoint(
    user: CurrentUser, batches: Batches, request: Request, body: SharePointTable
) -> Batch:
    """A draft batch from a CSV or XLSX file of SharePoint the user may read (read as the user)."""
    graph = request.app.state.batch_graph
    filename, data = await download_table(graph, user.token, body.item_id, batches.limits.max_bytes)
    return await batches.create(
        user, filename, data, source="sharepoint", source_item=body.item_id, data_class=body.data_class
    )


@router.get("/{batch_id}")
async def get_batch(user: CurrentUser, batches: Batches, batch_id: str) -> Batch:
    """A batch with its progress."""
    return await batches.get(user, batch_id)


@router.patch("/{batch_id}")
async def update_batch(user: CurrentUser, batches: Batches, batch_id: str, body: BatchUpdate) -> Batch:
    """Change a draft (template, model, mode, class, review).

    Errors: 422 `unknown_column`, 400 `model_not_allowed` / `data_class_not_allowed`, 409 `batch_state`.
    """
    return await batches.update(user, batch_id, body)


@router.get("/{batch_id}/models")
async def batch_models(user: CurrentUser, batches: Batches, batch_id: str) -> ModelOptions:
    """The models policy allows the user for this table's class, or why there are none."""
    return await batches.options(user, batch_id)


@router.post("/{batch_id}/preview")
async def preview_batch(user: CurrentUser, batches: Batches, batch_id: str) -> list[PreviewRow]:
    """The first three rows as they would be sent (or merged), with the gateway's verdict on each."""
    return await batches.preview(user, batch_id)


@router.post("/{batch_id}/launch")
async def launch_batch(user: CurrentUser, batches: Batches, batch_id: str) -> Batch:
    """Run the batch as a job."""
    return await batches.launch(user, batch_id, datetime.now(PARIS))


@router.post("/{batch_id}/pause")
async def pause_batch(user: CurrentUser, batches: Batches, batch_id: str) -> Batch:
    """Stop sending rows (those in flight end)."""
    return await batches.pause(user, batch_id)


@router.post("/{batch_id}/resume")
async def resume_batch(user: CurrentUser, batches: Batches, batch_id: str) -> Batch:
    """Go on (rows in failure are tried again)."""
    return await batches.resume(user, batch_id)


@router.post("/{batch_id}/cancel")
async def cancel_batch(user: CurrentUser, batches: Batches, batch_id: str) -> Batch:
    """Rows not sent yet are never sent."""
    return await batches.cancel(user, batch_id)


@router.get("/{batch_id}/rows")
async def batch_rows(
    user: CurrentUser,
    batches: Batches,
    batch_id: str,
    first: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    status: RowStatus | None = None,
) -> list[RowOut]:
    """Rows from `first` (of one status when given)."""
    return await batches.rows(user, batch_id, first, limit, status)


@router.put("/{batch_id}/rows/{number}/review")
async def review_row(
    user: CurrentUser, batches: Batches, batch_id: str, number: int, body: ReviewIn
) -> RowOut:
    """Accept, edit (with `text`) or reject a finished row."""
    return await batches.review(user, batch_id, number, body)


@router.post("/{batch_id}/review")
async def review_all(user: CurrentUser, batches: Batches, batch_id: str, body: ReviewAll) -> Batch:
    """Accept or reject every finished row not reviewed yet."""
    return await batches.review_all(user, batch_id, body.decision)


@router.get("/{batch_id}/export")
async def export_batch(
    user: CurrentUser, batches: Batches, batch_id: str, format: ExportFormat = "csv"
) -> Response:
    """The letters that may leave: CSV or XLSX table, one merged DOCX, or a ZIP of one DOCX per row.

    Rows needing review leave only once accepted or edited; 409 `nothing_to_export` when none may.
    """
    batch = await batches.owned(user, batch_id)
    rows = exports.leaving(batch, await repository.all_rows(batches.pool, batch_id))
    if not rows:
        raise BatchStateError(
            MESSAGES("batches.nothing_to_export"),
            code="nothing_to_export",
        )
    letterhead = exports.default_letterhead()
    if format == "csv":
        content = exports.to_csv(batch, rows)
    elif format == "xlsx":
        content = exports.to_xlsx(batch, rows)
    elif format == "docx":
        content = exports.merged_docx(letterhead, [final_text(row) or "" for row in rows])
    else:
        content = exports.letters_zip(letterhead, rows)
    name = f"courriers-{batch_id[:8]}.{format}"
    return Response(
        content, media_type=_MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _too_large(limit: int) -> TableTooLargeError:
    return TableTooLargeError(MESSAGES("batches.file_over_limit", limit=limit // (1024 * 1024)))


def _data_class(value: object) -> DataClass | None:
    if value is None or value == "":
        return None
    try:
        return DataClass(str(value))
    except ValueError:
        raise ApiError(MESSAGES("batches.unknown_data_class"), code="unknown_data_class") from None
