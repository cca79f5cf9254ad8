"""Knowledge use cases: index documents (all or nothing), list, re-index, remove, search (hybrid)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import PurePath

from opentelemetry import trace

from agents.lexicon import expansion
from agents.toolbox import ToolConnector
from server.auth.schemas import User
from server.errors import ApiError, ForbiddenError, NotFoundError, ServiceUnavailableError
from server.gateway.callers import Caller
from server.gateway.service import Gateway
from server.knowledge import repository
from server.knowledge.bounded import extract_bounded
from server.knowledge.chunking import chunk_sections
from server.knowledge.embedding import EmbeddingFailedError, GatewayEmbedder
from server.knowledge.extraction import Extracted, ExtractionError, media_type_of
from server.knowledge.guard import KnowledgeGuard
from server.knowledge.repository import NewDocument
from server.knowledge.schemas import DocumentSource, KnowledgeDocument, Passage, SearchResult
from server.knowledge.sharepoint import SharePointAccess, read_item
from server.messages import MESSAGES
from server.settings import Settings
from server.work.caches import Cache, announce_now
from tools.database import Pool, is_uuid
from tools.doctext import Section
from tools.doctext.bounded import ReadingLimits, reading_slot

tracer = trace.get_tracer("ariane.knowledge")
_COLLECTION = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
VECTOR_K = 40  # candidates per side before fusion


class UnsupportedTypeError(ApiError):
    """Not a PDF, DOCX or TXT file."""

    status_code = 415
    code = "unsupported_type"


class UnprocessableDocumentError(ApiError):
    """A corrupt or empty document."""

    status_code = 422
    code = "unreadable_document"


class EmbeddingsRefusedError(ApiError):
    """The gateway's policy or quotas refused the embeddings."""

    status_code = 403
    code = "embeddings_refused"


class DocumentTooLargeError(ApiError):
    """Over the upload limit."""

    status_code = 413
    code = "payload_too_large"


def too_large(limit: int) -> DocumentTooLargeError:
    """The 413 error, stating the limit."""
    return DocumentTooLargeError(
        MESSAGES("knowledge.too_large", megabytes=limit // (1024 * 1024)),
        code="document_too_large",
    )


@dataclass
class KnowledgeService:
    """One per process, built by the app's lifespan."""

    pool: Pool
    embedder: GatewayEmbedder
    guard: KnowledgeGuard
    sharepoint: SharePointAccess
    max_upload_bytes: int
    reading: ReadingLimits = field(default_factory=ReadingLimits)

    async def check_read(self, user: User, collection: str) -> None:
        """Raises NotFoundError (404) unless the user may read the collection."""
        if not _COLLECTION.match(collection) or not await self.guard.may_read(user, collection):
            raise NotFoundError(MESSAGES("knowledge.collection_not_found"), code="collection_not_found")

    async def check_edit(self, user: User, collection: str) -> None:
        """Raises 404 unless readable, 403 unless editable."""
        await self.check_read(user, collection)
        if not await self.guard.may_edit(user, collection):
            raise ForbiddenError(MESSAGES("knowledge.edit_forbidden"))

    async def documents(self, user: User, collection: str) -> list[KnowledgeDocument]:
        """The collection's documents the user may read, trimmed as search trims its passages.

        A SharePoint document is listed only to users who may read its item now: its title, URL and
        id would otherwise tell what exists in a site they cannot open.
        """
        await self.check_read(user, collection)
        documents = await repository.list_documents(self.pool, collection)
        return [
            document
            for document in documents
            if document.source is not DocumentSource.SHAREPOINT
            or (
                document.source_item
                and await self.sharepoint.may_read(user.id, user.token, document.source_item)
            )
        ]

    async def upload(self, user: User, collection: str, filename: str, data: bytes) -> KnowledgeDocument:
        """Index an uploaded file; nothing is stored unless all of it is indexed.

        Raises:
            DocumentTooLargeError, UnsupportedTypeError, UnprocessableDocumentError (422, with
            `document_too_complex` past the reading's limits), ApiError (503).
        """
        await self.check_edit(user, collection)
        if len(data) > self.max_upload_bytes:
            raise too_large(self.max_upload_bytes)
        extracted = await self.read(data, filename)
        document = NewDocument(
            collection=collection,
            title=PurePath(filename).stem or filename,
            filename=filename,
            media_type=extracted.media_type.value,
            source=DocumentSource.UPLOAD,
            source_item=None,
            url=None,
            content=data,
            sha256=hashlib.sha256(data).hexdigest(),
            pages=extracted.pages,
            sections=len(extracted.sections),
            created_by=user.email,
        )
        return await self.index(document, extracted, Caller.from_user(user))

    async def add_sharepoint(self, user: User, collection: str, item_id: str) -> KnowledgeDocument:
        """Index a SharePoint document, read as the author (who must be able to read it)."""
        await self.check_edit(user, collection)
        sections, title, url = await self._read_sharepoint(user, item_id)
        content = json.dumps([{"locator": s.locator, "text": s.text} for s in sections], ensure_ascii=False)
        document = NewDocument(
            collection=collection,
            title=PurePath(title).stem or title,
            filename=title,
            media_type=_media_type_name(title),
            source=DocumentSource.SHAREPOINT,
            source_item=item_id,
            url=url,
            content=content.encode(),
            sha256=hashlib.sha256(content.encode()).hexdigest(),
            pages=Extracted(media_type_of(title), sections).pages,
            sections=len(sections),
            created_by=user.email,
        )
        self.sharepoint.remember(user.id, item_id)
        return await self.index(document, Extracted(media_type_of(title), sections), Caller.from_user(user))

    async def reindex(self, user: User, collection: str, document_id: str) -> KnowledgeDocument:
        """Extract, chunk and embed again (SharePoint documents are read again, as the user)."""
        await self.check_edit(user, collection)
        document = await self._document(collection, document_id)
        if document.source is DocumentSource.SHAREPOINT and document.source_item:
            sections, _, _ = await self._read_sharepoint(user, document.source_item)
            extracted = Extracted(media_type_of(document.filename), sections)
        else:
            extracted = await self.read(
                await repository.document_content(self.pool, document.id), document.filename
            )
        with tracer.start_as_current_span("knowledge.reindex", attributes={"ariane.user.id": user.id}):
            chunks = chunk_sections(extracted.sections)
            vectors = await self._embed([c.text for c in chunks], Caller.from_user(user))
            return await repository.replace_chunks(self.pool, document.id, collection, chunks, vectors)

    async def delete(self, user: User, collection: str, document_id: str) -> None:
        """Remove a document: its passages disappear from every later search at once."""
        await self.check_edit(user, collection)
        if not is_uuid(document_id) or not await repository.delete_document(
            self.pool, collection, document_id
        ):
            raise _document_not_found()

    async def set_review_by(
        self, user: User, collection: str, document_id: str, review_by: date | None
    ) -> KnowledgeDocument:
        """Set when a document must be reviewed (governance's data quality counts those past it)."""
        await self.check_edit(user, collection)
        if not is_uuid(document_id) or not await repository.set_review_by(
            self.pool, collection, document_id, review_by
        ):
            raise _document_not_found()
        document = await repository.get_document(self.pool, collection, document_id)
        assert document is not None
        return document

    async def search(self, user: User, collection: str, query: str, top: int) -> SearchResult:
        """The best passages for `query`, among those the user may read."""
        await self.check_read(user, collection)
        attributes = {"ariane.user.id": user.id, "ariane.knowledge.collection": collection}
        with tracer.start_as_current_span("knowledge.search", attributes=attributes):
            vector = (await self._embed([query], Caller.from_user(user)))[0]
            # The full-text side also looks for the thesaurus's words of the question's concepts.
            words = f"{query} {expansion(query)}"
            rows = await repository.hybrid_search(self.pool, collection, words, vector, top * 2, VECTOR_K)
            rows = (await self.sharepoint.trim(user.id, user.token, rows))[:top]
        passages = [
            Passage(
                document_id=row["document_id"],
                title=row["title"],
                locator=row["locator"],
                heading=row["heading"],
                text=row["text"],
                score=round(float(row["score"]), 6),
                similarity=None if row["similarity"] is None else round(float(row["similarity"]), 4),
                text_rank=None if row["text_rank"] is None else round(float(row["text_rank"]), 4),
                url=row["url"],
            )
            for row in rows
        ]
        return SearchResult(query=query, collection=collection, passages=passages)

    async def index(self, document: NewDocument, extracted: Extracted, caller: Caller) -> KnowledgeDocument:
        """Chunk, embed and store in one transaction (used by uploads, SharePoint picks and seeding)."""
        with tracer.start_as_current_span(
            "knowledge.index", attributes={"ariane.knowledge.collection": document.collection}
        ) as span:
            chunks = chunk_sections(extracted.sections)
            if not chunks:
                raise UnprocessableDocumentError(
                    MESSAGES("knowledge.empty_document", name=document.filename), code="empty_document"
                )
            vectors = await self._embed([c.text for c in chunks], caller)
            stored = await repository.insert_document(self.pool, document, chunks, vectors)
            span.set_attribute("ariane.knowledge.chunks", len(chunks))
            return stored

    async def read(self, data: bytes, filename: str) -> Extracted:
        """The file's sections, parsed in a bounded child process, a few files at a time per process.

        Raises:
            UnsupportedTypeError: not a PDF, DOCX or TXT (415).
            UnprocessableDocumentError: 422 with the extraction's code (`unreadable_document`,
                `empty_document`, `document_too_complex` past the reading's limits).
        """
        try:
            async with reading_slot():
                return await extract_bounded(data, filename, self.reading)
        except ExtractionError as exc:
            if exc.code == "unsupported_type":
                raise UnsupportedTypeError(exc.message) from exc
            raise UnprocessableDocumentError(exc.message, code=exc.code) from exc

    async def _embed(self, texts: list[str], caller: Caller) -> repository.Vector:
        try:
            return await self.embedder.embed(texts, caller)
        except EmbeddingFailedError as exc:
            if exc.refused:  # policy or quota: the gateway's reason, which the user can act on
                raise EmbeddingsRefusedError(
                    MESSAGES("knowledge.embeddings_refused", reason=exc.reason)
                ) from exc
            raise ServiceUnavailableError(
                MESSAGES("knowledge.embeddings_failed", reason=exc.reason), code="embeddings_unavailable"
            ) from exc

    async def _document(self, collection: str, document_id: str) -> KnowledgeDocument:
        document = (
            await repository.get_document(self.pool, collection, document_id)
            if is_uuid(document_id)
            else None
        )
        if document is None:
            raise _document_not_found()
        return document

    async def _read_sharepoint(self, user: User, item_id: str) -> tuple[list[Section], str, str]:
        outcome = await read_item(self.sharepoint.tools, user.token, item_id)
        if not outcome.ok:
            if outcome.code == "unavailable":
                raise ServiceUnavailableError(outcome.message, code="m365_unavailable")
            if outcome.code == "bad_request":
                raise UnprocessableDocumentError(outcome.message)
            if outcome.code == "document_too_complex":  # its reader ran past its limits
                raise UnprocessableDocumentError(outcome.message, code="document_too_complex")
            await self.sharepoint.withdraw(item_id)  # gone, or no longer readable: every replica re-checks
            raise NotFoundError(outcome.message, code="sharepoint_item_not_found")
        data = outcome.data
        title = str(data["title"])
        try:
            media_type_of(title)
        except ExtractionError as exc:
            raise UnsupportedTypeError(exc.message) from exc
        sections = [
            Section(locator=s["locator"], text=s["text"], page=_page(s["locator"])) for s in data["sections"]
        ]
        if not any(s.text.strip() for s in sections):
            raise UnprocessableDocumentError(
                MESSAGES("knowledge.empty_document", name=title), code="empty_document"
            )
        return sections, title, str(data.get("url") or "")


def _media_type_name(filename: str) -> str:
    return media_type_of(filename).value


def _page(locator: str) -> int | None:
    match = re.fullmatch(r"page (\d+)", locator)
    return int(match.group(1)) if match else None


def _document_not_found() -> NotFoundError:
    return NotFoundError(MESSAGES("knowledge.document_not_found"), code="document_not_found")


def knowledge_service(
    settings: Settings,
    pool: Pool,
    tools: ToolConnector,
    gateway: Callable[[], Gateway],
    guard: KnowledgeGuard,
) -> KnowledgeService:
    """The service with its collaborators; `guard` says who reads and edits a collection."""
    return KnowledgeService(
        pool=pool,
        embedder=GatewayEmbedder(gateway),
        guard=guard,
        sharepoint=SharePointAccess(tools, withdrawn=partial(announce_now, pool, Cache.SHAREPOINT)),
        max_upload_bytes=settings.knowledge_max_upload_bytes,
        reading=ReadingLimits.of(settings.reading),
    )
