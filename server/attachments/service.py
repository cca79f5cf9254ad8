"""Attachment use cases: read, cut and embed a file for one conversation; list, serve, remove; retrieve.

The caller has already been checked to own the thread (`ChatService.thread_of`). Embeddings go through
the gateway as the user, like a knowledge upload: the gateway classifies the text (health data, …)
and meters the call. The passages then reach a model only inside a turn, in the workflow's prompt,
through the gateway's `/v1` like any other content.
"""

from __future__ import annotations

import hashlib
import math
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

from agents.turn import AttachedPassage
from server.attachments import repository
from server.attachments.reading import UnreadableAttachmentError, read_attachment
from server.attachments.repository import NewAttachment, ThreadFullError
from server.attachments.schemas import Attachment
from server.auth.schemas import User
from server.chat.schemas import Thread
from server.errors import ApiError, NotFoundError, ServiceUnavailableError
from server.gateway.callers import Caller
from server.intake.settings import IntakeSettings
from server.knowledge.chunking import MAX_CHARS, chunk_sections
from server.knowledge.embedding import EmbeddingFailedError, GatewayEmbedder
from server.knowledge.service import DocumentTooLargeError, EmbeddingsRefusedError
from server.limits import repository as limits
from server.messages import MESSAGES
from tools.database import Pool, is_uuid
from tools.doctext.bounded import ReadingLimits, reading_slot
from tools.doctext.settings import ReadingSettings

MAX_FILES = 10  # per conversation: attachments are read for a question, not a library
MAX_CHUNKS = 400  # per file (about 350 000 characters): beyond, it belongs in an assistant's documents
MAX_NAME_CHARS = 200
SEARCH_TOP = 8
MAX_PAGES = 500  # a PDF's pages, counted before any is read
# Reading costs up to a CPU core for tens of seconds: each user may start this many in the window,
# counted in PostgreSQL so that every replica sees every upload.
UPLOADS_PER_WINDOW = 20
UPLOAD_WINDOW_SECONDS = 600.0


class AttachmentLimitError(ApiError):
    """The conversation or the file is over an attachment limit."""

    status_code = 413
    code = "attachment_limit"


class TooManyUploadsError(ApiError):
    """The user attached too many files in the window (429, with `Retry-After`)."""

    status_code = 429
    code = "too_many_attachments"


def _too_many_files() -> AttachmentLimitError:
    return AttachmentLimitError(MESSAGES("attachments.too_many", limit=MAX_FILES))


def too_large(limit: int) -> DocumentTooLargeError:
    """The 413 error, stating the limit."""
    return DocumentTooLargeError(
        MESSAGES("attachments.too_large", megabytes=limit // (1024 * 1024)),
        code="attachment_too_large",
    )


def clean_name(filename: str) -> str:
    """The file's own name: no folders, no control characters, bounded (it is shown and cited)."""
    name = PurePath(filename.replace("\\", "/")).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > MAX_NAME_CHARS:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix[:12]
        name = stem[: MAX_NAME_CHARS - len(suffix)] + suffix
    return name


def reading_limits(settings: ReadingSettings) -> ReadingLimits:
    """The operator's bounds, and a PDF longer than its passages could hold refused early."""
    return ReadingLimits.of(settings, max_pages=MAX_PAGES, max_chars=MAX_CHUNKS * MAX_CHARS)


@dataclass
class AttachmentService:
    """One per process, built by the app's lifespan."""

    pool: Pool
    embedder: GatewayEmbedder
    max_bytes: int
    intake: IntakeSettings
    reading: ReadingLimits = field(default_factory=lambda: reading_limits(ReadingSettings()))
    uploads_per_window: int = UPLOADS_PER_WINDOW
    upload_window_seconds: float = UPLOAD_WINDOW_SECONDS

    async def add(self, user: User, thread: Thread, filename: str, data: bytes) -> Attachment:
        """Read, cut and embed a file, then store it with its passages (all or nothing).

        Raises:
            ApiError: 400 `invalid_request` (no name), 413 `attachment_too_large` or `attachment_limit`,
                415 `unsupported_type` or `ocr_unavailable`, 422 `unreadable_document`,
                `empty_document` or `document_too_complex`; 429 `too_many_attachments`; 403
                `embeddings_refused`, 503 `embeddings_unavailable`.
        """
        name = clean_name(filename)
        if not name:
            raise ApiError(MESSAGES("attachments.no_name"), code="invalid_request")
        if len(data) > self.max_bytes:
            raise too_large(self.max_bytes)
        files, _ = await repository.totals(self.pool, thread.id)
        if files >= MAX_FILES:
            raise _too_many_files()
        await self._take_upload(user)
        async with reading_slot():  # a few readers at once per process, OCR and extraction alike
            read = await read_attachment(data, name, self.intake, self.reading)
        chunks = chunk_sections(read.sections)
        if not chunks:
            raise UnreadableAttachmentError(MESSAGES("attachments.no_text", name=name), code="empty_document")
        if len(chunks) > MAX_CHUNKS:
            raise AttachmentLimitError(
                MESSAGES("attachments.too_long", name=name, chunks=len(chunks), limit=MAX_CHUNKS)
            )
        try:
            vectors = await self.embedder.embed([c.text for c in chunks], Caller.from_user(user))
        except EmbeddingFailedError as exc:
            if exc.refused:
                raise EmbeddingsRefusedError(
                    MESSAGES("attachments.embeddings_refused", reason=exc.reason)
                ) from exc
            raise ServiceUnavailableError(
                MESSAGES("attachments.embeddings_failed", reason=exc.reason), code="embeddings_unavailable"
            ) from exc
        new = NewAttachment(
            thread_id=thread.id,
            filename=name,
            media_type=read.media_type,
            content=data,
            sha256=hashlib.sha256(data).hexdigest(),
            pages=read.pages,
            ocr=read.ocr,
        )
        try:
            return await repository.insert(self.pool, new, chunks, vectors, MAX_FILES)
        except ThreadFullError as exc:  # parallel uploads filled the conversation meanwhile
            raise _too_many_files() from exc

    async def _take_upload(self, user: User) -> None:
        window = self.upload_window_seconds
        if not await limits.take(
            self.pool, f"attach|{user.id}", self.uploads_per_window, window, time.time()
        ):
            raise TooManyUploadsError(
                MESSAGES(
                    "attachments.rate_limited",
                    limit=self.uploads_per_window,
                    minutes=max(1, math.ceil(window / 60)),
                ),
                headers={"Retry-After": str(max(1, math.ceil(window)))},
            )

    async def of_thread(self, thread: Thread) -> list[Attachment]:
        """The conversation's attachments, oldest first."""
        return await repository.list_for(self.pool, thread.id)

    async def file(self, thread: Thread, attachment_id: str) -> tuple[Attachment, bytes]:
        """An attachment and its bytes.

        Raises:
            NotFoundError: `attachment_not_found`.
        """
        found = (
            await repository.content(self.pool, thread.id, attachment_id) if is_uuid(attachment_id) else None
        )
        if found is None:
            raise _not_found()
        return found

    async def remove(self, thread: Thread, attachment_id: str) -> None:
        """Remove an attachment: its passages leave the conversation's next answers at once."""
        if not is_uuid(attachment_id) or not await repository.delete(self.pool, thread.id, attachment_id):
            raise _not_found()

    async def passages(self, user: User, thread_id: str, question: str) -> list[AttachedPassage]:
        """The conversation's passages that best match the question (none: no attachment)."""
        files, _ = await repository.totals(self.pool, thread_id)
        if files == 0:
            return []
        try:
            vector = (await self.embedder.embed([question], Caller.from_user(user)))[0]
        except EmbeddingFailedError:
            vector = None  # full text still ranks; the workflow checks the passages' relevance anyway
        rows = await repository.ranked_passages(self.pool, thread_id, question, vector, SEARCH_TOP)
        return [
            AttachedPassage(
                attachment_id=row["attachment_id"],
                filename=row["filename"],
                locator=row["locator"],
                heading=row["heading"],
                text=row["text"],
                similarity=None if row["similarity"] is None else round(float(row["similarity"]), 4),
                text_rank=None if row["text_rank"] is None else round(float(row["text_rank"]), 4),
            )
            for row in rows
        ]


def _not_found() -> NotFoundError:
    return NotFoundError(MESSAGES("attachments.not_found"), code="attachment_not_found")
