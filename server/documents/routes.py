"""`/api/documents/…`: the text of a cited document, for the web app's viewer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from server.contract import route_errors
from server.deps import Context, CurrentUser
from server.documents.schemas import DocumentView
from server.documents.service import ITEM_ID_PATTERN, MAX_ITEM_ID, view_knowledge, view_sharepoint

router = APIRouter(prefix="/api/documents", tags=["documents"])
_UNREADABLE = route_errors({422: "Document illisible ou trop complexe à lire."})


@router.get("/knowledge/{document_id}", responses=_UNREADABLE)
async def knowledge_document(user: CurrentUser, context: Context, document_id: str) -> DocumentView:
    """An assistant's reference document, by page or section (404 `document_not_found` unless readable).

    An uploaded file is read again in the bounded reader of uploads: 422 `document_too_complex` past
    its limits.
    """
    return await view_knowledge(context.knowledge, user, document_id)


@router.get("/sharepoint/{item_id}", responses=_UNREADABLE)
async def sharepoint_document(
    user: CurrentUser,
    context: Context,
    item_id: Annotated[str, Path(max_length=MAX_ITEM_ID, pattern=ITEM_ID_PATTERN)],
) -> DocumentView:
    """A SharePoint document read as the user (`drive:item`, as search_documents gives it).

    Errors: 404 `document_not_found` unless Microsoft 365 lets the user read it, 422
    `unreadable_document` for an item that is not a readable PDF or DOCX or `document_too_complex`
    when its reading ran past the bounded reader's limits, 503 `m365_unavailable`.
    """
    return await view_sharepoint(context.tools, user, item_id)
