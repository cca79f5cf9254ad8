"""The text of an attached file, by the readers the knowledge ingestion and the paper intake use.

PDF, DOCX and TXT go through `server.knowledge.extraction` (same parsers, same magic-number and
decoding guards, same citable locators), run in a bounded child process (`server.knowledge.bounded`)
so that a hostile file can neither block the API nor exhaust its memory; images, and PDFs without a
text layer, through the intake's Tesseract reader, bounded the same way (`server.intake.ocr`).
Nothing in the file is ever run: it is parsed, and only its text is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from server.errors import ApiError
from server.intake.ocr import ReadError, ReadPage, read_scan
from server.intake.settings import IntakeSettings
from server.intake.structure import lines_of
from server.knowledge.bounded import extract_bounded
from server.knowledge.extraction import ExtractionError
from server.messages import MESSAGES
from tools.doctext import Section
from tools.doctext.bounded import ReadingLimits

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff",
               ".tiff": "image/tiff"}  # fmt: skip
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


class UnsupportedAttachmentError(ApiError):
    """Not a format an attachment may have (or images without OCR on this server)."""

    status_code = 415
    code = "unsupported_type"


class UnreadableAttachmentError(ApiError):
    """A corrupt, empty or unreadable file."""

    status_code = 422
    code = "unreadable_document"


class TooLongAttachmentError(ApiError):
    """A PDF with more pages or text than an attachment may have."""

    status_code = 413
    code = "attachment_limit"


@dataclass(frozen=True)
class ReadFile:
    """The sections of a file and what it is."""

    media_type: str
    sections: list[Section]
    pages: int
    ocr: bool


async def read_attachment(
    data: bytes, filename: str, intake: IntakeSettings, limits: ReadingLimits
) -> ReadFile:
    """Sections of an attached file, by the format its name announces and its bytes confirm.

    Raises:
        UnsupportedAttachmentError: another format (415 `unsupported_type`), or an image while OCR is
            not installed (415 `ocr_unavailable`).
        UnreadableAttachmentError: corrupt, not what its name says, or no text at all (422); too
            heavy or complex to read within `limits` (422 `document_too_complex`).
        ApiError: 413 `attachment_limit`, a PDF over `limits.max_pages` or `limits.max_chars`.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix in IMAGE_TYPES:
        if not data.startswith(_IMAGE_MAGIC):
            raise UnreadableAttachmentError(
                MESSAGES("attachments.not_an_image", name=filename),
                code="unreadable_document",
            )
        return await _scanned(data, filename, IMAGE_TYPES[suffix], intake)
    try:
        extracted = await extract_bounded(data, filename, limits)
    except ExtractionError as exc:
        if exc.code == "document_too_long":
            raise TooLongAttachmentError(exc.message, code="attachment_limit") from exc
        if exc.code == "unsupported_type":
            raise UnsupportedAttachmentError(MESSAGES("attachments.unsupported_type", name=filename)) from exc
        if exc.code == "empty_document" and suffix == ".pdf":  # a scan saved as PDF: read its image
            return await _scanned(data, filename, "application/pdf", intake)
        raise UnreadableAttachmentError(exc.message, code=exc.code) from exc
    return ReadFile(extracted.media_type.value, extracted.sections, extracted.pages, ocr=False)


async def _scanned(data: bytes, filename: str, media_type: str, intake: IntakeSettings) -> ReadFile:
    try:
        pages = await read_scan(data, intake)
    except ReadError as exc:
        if exc.code == "ocr_unavailable":
            raise UnsupportedAttachmentError(
                MESSAGES("attachments.ocr_unavailable", name=filename),
                code="ocr_unavailable",
            ) from exc
        raise UnreadableAttachmentError(
            MESSAGES("attachments.unreadable_scan", name=filename, reason=exc.detail), code=exc.code
        ) from exc
    sections = [section for section in map(_page_section, pages) if section.text.strip()]
    if not sections:
        raise UnreadableAttachmentError(
            MESSAGES("attachments.no_readable_text", name=filename),
            code="empty_document",
        )
    return ReadFile(media_type, sections, len(pages), ocr=True)


def _page_section(page: ReadPage) -> Section:
    lines = lines_of([{"words": page.words}])
    text = "\n".join(line.text for line in lines)
    return Section(locator=f"page {page.number}", text=text, page=page.number)
