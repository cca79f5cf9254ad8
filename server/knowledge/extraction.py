"""Text of an uploaded document with citable locators: PDF pages, DOCX headings, TXT headings or paragraphs.

PDF and DOCX go through `tools.doctext` (the same extraction the documents tool uses, so a locator
means the same thing everywhere); plain text is read here.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

from docx.opc.exceptions import OpcError
from lxml.etree import XMLSyntaxError  # type: ignore[import-untyped]
from pypdf.errors import PyPdfError

from server.messages import MESSAGES
from tools.doctext import DocumentFormatError, Section, extract_sections, pdf_page_count
from tools.doctext.extract import DocumentTooLongError
from tools.i18n import Text


class MediaType(StrEnum):
    """The formats a knowledge document may have."""

    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    TXT = "text/plain"


_SUFFIXES = {".pdf": MediaType.PDF, ".docx": MediaType.DOCX, ".txt": MediaType.TXT, ".md": MediaType.TXT}
# Linear: the title's end (closing `#`, spaces) is trimmed in Python, not by backtracking (`.+?\s*#*$`
# took seconds on a line of spaces).
_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<title>\S.*)$")
_BLANK_LINES = re.compile(r"\n\s*\n")
TXT_SECTION_CHARS = 1500
# A DOCX is a zip: its central directory declares each entry's size, so a decompression bomb is
# refused before anything is inflated. Ratios are only judged on entries big enough to matter.
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
DOCX_MAX_RATIO = 100
DOCX_RATIO_FROM = 1024 * 1024


class ExtractionError(ValueError):
    """A file that cannot become knowledge; `code` is the API's error code.

    `message` is a catalogue text, rendered in the reader's language where it is shown; `str(error)`
    is the French one (logs).
    """

    def __init__(self, code: str, message: str | Text) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Extracted:
    """The sections of a document and what it is."""

    media_type: MediaType
    sections: list[Section]
    page_count: int | None = None  # a PDF's own count, blank pages included, when its file was read

    @property
    def pages(self) -> int:
        """Pages for a PDF; sections otherwise (what indexing throughput is counted in).

        Without the file's own count (sections read through Graph), the last page with text: blank
        pages after it are then not seen.
        """
        if self.page_count is not None:
            return self.page_count
        numbered = [section.page for section in self.sections if section.page is not None]
        return max(numbered) if numbered else len(self.sections)


def media_type_of(filename: str) -> MediaType:
    """The format a file name announces.

    Raises:
        ExtractionError: `unsupported_type` for any other extension.
    """
    media = _SUFFIXES.get(PurePath(filename).suffix.lower())
    if media is None:
        raise ExtractionError(
            "unsupported_type",
            MESSAGES("knowledge.unsupported_type", name=filename),
        )
    return media


def extract(
    data: bytes, filename: str, *, max_pages: int | None = None, max_chars: int | None = None
) -> Extracted:
    """Sections of `data`, by the format its name announces and its bytes confirm.

    `max_pages` and `max_chars` bound a PDF (counted before reading, or as its text is read).

    Raises:
        ExtractionError: `unsupported_type`, `unreadable_document` (corrupt or not what its name
            says), `empty_document` (no text at all, e.g. a scanned PDF without text layer),
            `document_too_complex` (a DOCX that would inflate beyond bounds) or `document_too_long`
            (a PDF over `max_pages` or `max_chars`).
    """
    media = media_type_of(filename)
    page_count = None
    if media is MediaType.TXT:
        sections = _text_sections(_decode(data, filename))
    else:
        sections, page_count = _binary_sections(data, filename, media, max_pages, max_chars)
    sections = [section for section in sections if section.text.strip()]
    if not sections:
        raise ExtractionError(
            "empty_document",
            MESSAGES("knowledge.no_text", name=filename),
        )
    return Extracted(media, sections, page_count)


def _unreadable(filename: str, kind: str) -> ExtractionError:
    return ExtractionError("unreadable_document", MESSAGES("knowledge.unreadable", name=filename, kind=kind))


def too_complex(filename: str) -> ExtractionError:
    """A file whose reading would cost more than it may (a bomb, or a reader past its limits)."""
    return ExtractionError("document_too_complex", MESSAGES("reading.too_complex", name=filename))


def too_long(filename: str, max_pages: int | None, max_chars: int | None) -> ExtractionError:
    """A PDF over the pages or text its reader may keep."""
    return ExtractionError(
        "document_too_long",
        MESSAGES("reading.too_long", name=filename, pages=max_pages or "-", chars=max_chars or "-"),
    )


def _binary_sections(
    data: bytes, filename: str, media: MediaType, max_pages: int | None, max_chars: int | None
) -> tuple[list[Section], int | None]:
    kind = "PDF" if media is MediaType.PDF else "DOCX"
    magic = b"%PDF-" if media is MediaType.PDF else b"PK\x03\x04"
    if not data.lstrip()[:8].startswith(magic):
        raise _unreadable(filename, kind)
    # The parsers raise many kinds of errors on damaged files; all mean the same thing to the user.
    try:
        if media is MediaType.DOCX:
            _check_inflation(data, filename)
        name = f"document{PurePath(filename).suffix.lower()}"
        sections = extract_sections(data, name, max_pages=max_pages, max_chars=max_chars)
        return sections, pdf_page_count(data) if media is MediaType.PDF else None
    except DocumentTooLongError as exc:
        raise too_long(filename, max_pages, max_chars) from exc
    except ExtractionError:  # a ValueError too: the inflation check's own refusal
        raise
    except (
        DocumentFormatError,
        PyPdfError,
        zipfile.BadZipFile,
        OpcError,
        KeyError,
        ValueError,
        XMLSyntaxError,  # a SyntaxError, not a ValueError: a truncated document.xml
    ) as exc:
        raise _unreadable(filename, kind) from exc


def _check_inflation(data: bytes, filename: str) -> None:
    """Refuse a zip whose declared sizes are a decompression bomb, from its central directory only."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    total = sum(entry.file_size for entry in entries)
    bombs = [
        entry
        for entry in entries
        if entry.file_size > DOCX_RATIO_FROM
        and entry.file_size > DOCX_MAX_RATIO * max(entry.compress_size, 1)
    ]
    if total > DOCX_MAX_UNCOMPRESSED or bombs:
        raise too_complex(filename)


def _decode(data: bytes, filename: str) -> str:
    if b"\x00" in data:
        raise ExtractionError("unreadable_document", MESSAGES("knowledge.binary_text", name=filename))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older Windows exports


def _text_sections(text: str) -> list[Section]:
    """Markdown-style headings make sections; without headings, groups of paragraphs."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if any(_MARKDOWN_HEADING.match(line) for line in lines):
        return _heading_sections(lines)
    return _paragraph_sections(text)


def _heading_sections(lines: list[str]) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    body: list[str] = []

    def flush() -> None:
        text = "\n".join(body).strip()
        if text:
            locator = f"section « {heading} »" if heading else "début du document"
            sections.append(Section(locator=locator, text=text, heading=heading))

    for line in lines:
        match = _MARKDOWN_HEADING.match(line)
        if match:
            flush()
            heading, body = _heading_title(match.group("title")), []
        else:
            body.append(line)
    flush()
    return sections


def _heading_title(title: str) -> str:
    """A heading's title without its closing `#`s and the spaces before them, as the old pattern did."""
    return title.rstrip("#").rstrip() or title[:1]


def _paragraph_sections(text: str) -> list[Section]:
    paragraphs = [p.strip() for p in _BLANK_LINES.split(text.replace("\r\n", "\n")) if p.strip()]
    sections: list[Section] = []
    first, group = 1, list[str]()
    for number, paragraph in enumerate(paragraphs, start=1):
        if group and len("".join(group)) + len(paragraph) > TXT_SECTION_CHARS:
            sections.append(_paragraph_section(first, number - 1, group))
            first, group = number, []
        group.append(paragraph)
    if group:
        sections.append(_paragraph_section(first, len(paragraphs), group))
    return sections


def _paragraph_section(first: int, last: int, group: list[str]) -> Section:
    locator = f"paragraphe {first}" if first == last else f"paragraphes {first} à {last}"
    return Section(locator=locator, text="\n\n".join(group))
