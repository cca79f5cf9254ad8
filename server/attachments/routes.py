"""`/api/threads/{thread_id}/attachments`: files attached to one of my conversations.

Each route acts on the signed-in user's own thread; another user's is 404 as if unknown.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from server.attachments.schemas import Attachment
from server.attachments.service import AttachmentService, too_large
from server.chat.service import ChatService
from server.deps import Context, CurrentUser
from server.errors import ApiError, ServiceUnavailableError
from server.messages import MESSAGES

router = APIRouter(prefix="/api/threads", tags=["attachments"])
_MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, DOCX, TXT, or a scanned image (PNG, JPEG, TIFF) when OCR "
                            "is installed.",
                        }
                    },
                }
            }
        },
    },
    "responses": {
        "415": {"description": "Format non pris en charge (ou image sans OCR installé).", "content": _ERROR},
        "422": {"description": "Fichier illisible, corrompu ou sans texte.", "content": _ERROR},
        "429": {"description": "Trop de fichiers joints dans la fenêtre (`Retry-After`).", "content": _ERROR},
    },
}


def _chat(context: Context) -> ChatService:
    chat = context.chat
    assert chat is not None
    return chat


def _attachments(context: Context) -> AttachmentService:
    if context.attachments is None:  # an app built without them (never `create_app`)
        raise ServiceUnavailableError(MESSAGES("attachments.unavailable"))
    return context.attachments


Chat = Annotated[ChatService, Depends(_chat)]
Attachments = Annotated[AttachmentService, Depends(_attachments)]


@router.get("/{thread_id}/attachments")
async def list_attachments(
    user: CurrentUser, chat: Chat, attachments: Attachments, thread_id: str
) -> list[Attachment]:
    """The files attached to my conversation, oldest first."""
    return await attachments.of_thread(await chat.thread_of(user, thread_id))


@router.post("/{thread_id}/attachments", status_code=201, openapi_extra=_UPLOAD)
async def add_attachment(
    user: CurrentUser, chat: Chat, attachments: Attachments, request: Request, thread_id: str
) -> Attachment:
    """Attach a file to my conversation (multipart field `file`); answers once its text is searchable.

    The file is read for this conversation only: its passages are searched for each later question
    and cited like a document; it is deleted with the conversation. Errors: 413
    `attachment_too_large` (limit stated) or `attachment_limit`, 415 `unsupported_type` or
    `ocr_unavailable`, 422 `unreadable_document`, `empty_document` or `document_too_complex` (past the
    bounded reader's limits), 429 `too_many_attachments` (`Retry-After`), 400 `invalid_request` (no
    file), 404 `thread_not_found`.
    """
    thread = await chat.thread_of(user, thread_id)
    limit = attachments.max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _MULTIPART_OVERHEAD:
        raise too_large(limit)  # refused before reading the body
    try:
        async with request.form(max_files=1, max_fields=4, max_part_size=limit + 1) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise _no_file()
            if (upload.size or 0) > limit:
                raise too_large(limit)
            data = await upload.read()
            filename = upload.filename
    except HTTPException as exc:  # Starlette's multipart parser: a malformed body, said in English
        raise _no_file() from exc
    return await attachments.add(user, thread, filename, data)


def _no_file() -> ApiError:
    return ApiError(MESSAGES("attachments.no_file"), code="invalid_request")


@router.get(
    "/{thread_id}/attachments/{attachment_id}/content",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The file as attached."}},
)
async def attachment_content(
    user: CurrentUser, chat: Chat, attachments: Attachments, thread_id: str, attachment_id: str
) -> Response:
    """The attached file itself, to download (never shown inline: it is what the user sent)."""
    attachment, data = await attachments.file(await chat.thread_of(user, thread_id), attachment_id)
    disposition = f"attachment; filename*=UTF-8''{quote(attachment.filename)}"
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )


@router.delete("/{thread_id}/attachments/{attachment_id}", status_code=204)
async def remove_attachment(
    user: CurrentUser, chat: Chat, attachments: Attachments, thread_id: str, attachment_id: str
) -> Response:
    """Remove a file from my conversation: later answers no longer read or cite it."""
    await attachments.remove(await chat.thread_of(user, thread_id), attachment_id)
    return Response(status_code=204)
