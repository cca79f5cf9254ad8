"""Seeding: the « Coach Temps de Travail » reads the working-time regulation and the on-call note.

Both come from the local tenant's SharePoint data (site « Ressources humaines », open to all staff).
They are indexed as `seed` documents of the coach's collection when absent; `ariane up` and
`ariane ask` call this, tests seed explicitly where they need it.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import PurePath
from urllib.parse import quote

from server.knowledge.embedding import SYSTEM_CALLER
from server.knowledge.extraction import Extracted, MediaType, media_type_of
from server.knowledge.repository import NewDocument, has_document
from server.knowledge.schemas import DocumentSource, KnowledgeDocument
from server.knowledge.service import KnowledgeService
from tools.doctext import pdf_page_count
from tools.tenant.graph import load_content

logger = logging.getLogger(__name__)

COACH_COLLECTION = "coach-temps-de-travail"
COACH_ITEMS = ("doc-rigtt", "doc-note-astreintes-2025-014")
SEEDED_BY = "ariane"


async def seed_collection(
    knowledge: KnowledgeService, collection: str, items: tuple[str, ...]
) -> list[KnowledgeDocument]:
    """Index the tenant items `items` into `collection`, skipping those already there."""
    content = load_content(None)
    indexed = []
    for item_id in items:
        key = next((key for key in content.documents if key[1] == item_id), None)
        if key is None:
            raise LookupError(f"no tenant document {item_id!r}")
        source_item = f"{key[0]}:{key[1]}"
        if await has_document(knowledge.pool, collection, source_item):
            continue
        document = content.documents[key]
        name = document.item.name
        sections = list(document.sections)
        media = media_type_of(name)
        pdf = media is MediaType.PDF and document.content.startswith(b"%PDF-")
        extracted = Extracted(media, sections, pdf_page_count(document.content) if pdf else None)
        new = NewDocument(
            collection=collection,
            title=PurePath(name).stem,
            filename=name,
            media_type=extracted.media_type.value,
            source=DocumentSource.SEED,
            source_item=source_item,
            url=f"{document.site.web_url}/Shared%20Documents/{quote(name)}",
            content=document.content,
            sha256=hashlib.sha256(document.content).hexdigest(),
            pages=extracted.pages,
            sections=len(sections),
            created_by=SEEDED_BY,
        )
        indexed.append(await knowledge.index(new, extracted, SYSTEM_CALLER))
    return indexed


async def seed_builtin_knowledge(knowledge: KnowledgeService) -> list[KnowledgeDocument]:
    """The coach's documents, when absent."""
    indexed = await seed_collection(knowledge, COACH_COLLECTION, COACH_ITEMS)
    if indexed:
        logger.info("indexed %d reference document(s) of %s", len(indexed), COACH_COLLECTION)
    return indexed
