"""`/api/knowledge/{collection}/…`: an assistant's reference documents and their search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import UploadFile

from server.contract import route_errors
from server.deps import Context, CurrentUser
from server.errors import ApiError
from server.knowledge.schemas import (
    DocumentChange,
    KnowledgeDocument,
    SearchRequest,
    SearchResult,
    SharePointPick,
)
from server.knowledge.service import KnowledgeService, too_large
from server.messages import MESSAGES

router = APIRouter(prefix="/api/knowledge", tags=["knowledge"])
_MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file
# A file that parses but cannot become knowledge (`unreadable_document`, `empty_document`,
# `document_too_complex`), and one of another format.
_UNREADABLE = {422: "Document illisible, sans texte ou trop complexe à lire."}
_REFUSED_FILE = route_errors({415: "Format non pris en charge.", **_UNREADABLE})


def _knowledge(context: Context) -> KnowledgeService:
    return context.knowledge


Knowledge = Annotated[KnowledgeService, Depends(_knowledge)]


@router.get("/{collection}/documents")
async def list_documents(user: CurrentUser, knowledge: Knowledge, collection: str) -> list[KnowledgeDocument]:
    """The collection's documents (each completely indexed)."""
    return await knowledge.documents(user, collection)


@router.post("/{collection}/documents", status_code=201, responses=_REFUSED_FILE)
async def upload_document(
    user: CurrentUser, knowledge: Knowledge, request: Request, collection: str
) -> KnowledgeDocument:
    """Upload a PDF, DOCX or TXT file (multipart field `file`); answers once it is searchable.

    Errors: 413 `document_too_large` (limit stated), 415 `unsupported_type`, 422 `unreadable_document`,
    `empty_document` or `document_too_complex` (past the bounded reader's limits), 400
    `invalid_request` (no file), 403, 404 `collection_not_found`.
    """
    await knowledge.check_edit(user, collection)
    limit = knowledge.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _MULTIPART_OVERHEAD:
        raise too_large(limit)  # refused before reading the body
    async with request.form(max_files=1, max_fields=4) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ApiError(MESSAGES("knowledge.no_file"), code="invalid_request")
        if (upload.size or 0) > limit:
            raise too_large(limit)
        data = await upload.read()
        filename = upload.filename
    return await knowledge.upload(user, collection, filename, data)


@router.post("/{collection}/documents/sharepoint", status_code=201, responses=_REFUSED_FILE)
async def add_sharepoint_document(
    user: CurrentUser, knowledge: Knowledge, collection: str, body: SharePointPick
) -> KnowledgeDocument:
    """Index a SharePoint document the author can read (`item_id` from search_documents).

    Errors: 415 `unsupported_type`, 422 `unreadable_document`, `empty_document` or
    `document_too_complex` (its reading ran past the bounded reader's limits), 404
    `sharepoint_item_not_found`, 503 `m365_unavailable`.
    """
    return await knowledge.add_sharepoint(user, collection, body.item_id)


@router.delete("/{collection}/documents/{document_id}", status_code=204)
async def delete_document(
    user: CurrentUser, knowledge: Knowledge, collection: str, document_id: str
) -> Response:
    """Remove a document; its passages leave every answer at once."""
    await knowledge.delete(user, collection, document_id)
    return Response(status_code=204)


@router.patch("/{collection}/documents/{document_id}")
async def change_document(
    user: CurrentUser, knowledge: Knowledge, collection: str, document_id: str, body: DocumentChange
) -> KnowledgeDocument:
    """Set or clear the document's review date (who may edit the collection)."""
    return await knowledge.set_review_by(user, collection, document_id, body.review_by)


@router.post("/{collection}/documents/{document_id}/reindex", responses=route_errors(_UNREADABLE))
async def reindex_document(
    user: CurrentUser, knowledge: Knowledge, collection: str, document_id: str
) -> KnowledgeDocument:
    """Extract, chunk and embed the document again (swapped atomically).

    422 `document_too_complex` when its reading runs past the bounded reader's limits: the document
    is left as it was.
    """
    return await knowledge.reindex(user, collection, document_id)


@router.post("/{collection}/search")
async def search(
    user: CurrentUser, knowledge: Knowledge, collection: str, body: SearchRequest
) -> SearchResult:
    """Hybrid search (vectors + French full text, reciprocal rank fusion) in what the user may read."""
    return await knowledge.search(user, collection, body.query, body.top)
