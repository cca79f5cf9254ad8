"""Reading a cited document for the viewer, with the same access checks as the answer that cited it.

A knowledge document is read from Ariane's own copy (the text its citations were verified against)
once the user may read its collection, and, for a SharePoint-sourced one, its item now; a SharePoint
item is read as the user through the documents tool, so Microsoft 365 decides.
"""

from __future__ import annotations

import json
import re

from agents.toolbox import ToolConnector
from server.auth.schemas import User
from server.documents.schemas import DocumentView, ViewedSection, ViewedSource
from server.errors import NotFoundError, ServiceUnavailableError
from server.knowledge import repository
from server.knowledge.schemas import DocumentSource
from server.knowledge.service import KnowledgeService, UnprocessableDocumentError
from server.knowledge.sharepoint import read_item
from server.messages import MESSAGES
from tools.database import is_uuid

MAX_ITEM_ID = 400
ITEM_ID_PATTERN = r"^[A-Za-z0-9!_.~-]+:[A-Za-z0-9!_.~-]+$"  # Graph's drive and item ids


def _not_found() -> NotFoundError:
    return NotFoundError(MESSAGES("documents.not_found"), code="document_not_found")


async def view_knowledge(knowledge: KnowledgeService, user: User, document_id: str) -> DocumentView:
    """A knowledge document's sections, if the user may read its collection (and its item)."""
    document = await repository.find_document(knowledge.pool, document_id) if is_uuid(document_id) else None
    if document is None or not await knowledge.guard.may_read(user, document.collection):
        raise _not_found()
    if document.source is DocumentSource.SHAREPOINT:
        if not document.source_item or not await knowledge.sharepoint.may_read(
            user.id, user.token, document.source_item
        ):
            raise _not_found()
    content = await repository.document_content(knowledge.pool, document.id)
    if document.source is DocumentSource.SHAREPOINT:  # stored as the sections read from Graph
        sections = [ViewedSection(locator=s["locator"], text=s["text"]) for s in json.loads(content)]
    else:
        # Read as at upload, in the bounded reader: a stored file is still the user's file.
        extracted = await knowledge.read(content, document.filename)
        sections = [ViewedSection(locator=s.locator, text=s.text) for s in extracted.sections]
    return DocumentView(
        source=ViewedSource.KNOWLEDGE,
        id=document.id,
        title=document.title,
        url=document.url,
        sections=sections,
    )


async def view_sharepoint(tools: ToolConnector, user: User, item_id: str) -> DocumentView:
    """A SharePoint item's sections, read as the user (`drive:item`, as search_documents gives it)."""
    if len(item_id) > MAX_ITEM_ID or not re.fullmatch(ITEM_ID_PATTERN, item_id):
        raise _not_found()
    outcome = await read_item(tools, user.token, item_id)
    if not outcome.ok:
        if outcome.code == "unavailable":
            raise ServiceUnavailableError(outcome.message, code="m365_unavailable")
        if outcome.code == "bad_request":  # an item that is no PDF or DOCX (a spreadsheet)
            raise UnprocessableDocumentError(outcome.message)
        if outcome.code == "document_too_complex":  # its reader ran past its limits
            raise UnprocessableDocumentError(outcome.message, code="document_too_complex")
        raise _not_found()
    data = outcome.data
    return DocumentView(
        source=ViewedSource.SHAREPOINT,
        id=item_id,
        title=str(data.get("title") or ""),
        url=str(data.get("url") or "") or None,
        sections=[ViewedSection(locator=s["locator"], text=s["text"]) for s in data.get("sections", [])],
    )
