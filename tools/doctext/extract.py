"""Extract text from PDF (one section per page) and DOCX (one section per heading)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import PurePath

import docx
import pypdf
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError  # type: ignore[import-untyped]
from pypdf.errors import PdfReadError

_HEADING_STYLE = re.compile(r"^(Title|Heading \d)$")
_SPACES = re.compile(r"[ \t\u00a0]+")


class DocumentFormatError(ValueError):
    """The bytes are not a readable PDF or DOCX file."""


class DocumentTooLongError(DocumentFormatError):
    """A PDF over the page or text limit the caller set (read no further)."""


@dataclass(frozen=True)
class Section:
    """A citable part of a document: a PDF page or a DOCX heading with what follows it."""

    locator: str
    text: str
    page: int | None = None
    heading: str | None = None


def extract_sections(
    data: bytes, name: str, *, max_pages: int | None = None, max_chars: int | None = None
) -> list[Section]:
    """Sections of a document, chosen by its file extension.

    `max_pages` and `max_chars` bound a PDF's reading: its pages are counted before any text is
    extracted, and extraction stops as soon as the text is longer than the caller could use.

    Raises:
        DocumentTooLongError: a PDF over `max_pages` or `max_chars`.
        DocumentFormatError: unknown extension, or a file that cannot be parsed.
    """
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix == ".pdf":
            return _pdf_sections(data, max_pages, max_chars)
        if suffix == ".docx":
            return _docx_sections(data)
    except DocumentFormatError:
        raise
    # lxml's XMLSyntaxError (a truncated document.xml) is a SyntaxError, not a ValueError.
    except (PdfReadError, ValueError, KeyError, XMLSyntaxError) as exc:
        raise DocumentFormatError(f"{name}: {exc}") from exc
    raise DocumentFormatError(f"{name}: only PDF and DOCX files can be read")


def pdf_page_count(data: bytes) -> int:
    """How many pages a PDF has, blank ones included (its sections only name pages with text).

    Raises:
        DocumentFormatError: a file that cannot be parsed as a PDF.
    """
    try:
        return len(pypdf.PdfReader(io.BytesIO(data)).pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentFormatError(f"document.pdf: {exc}") from exc


def render_with_markers(sections: list[Section]) -> str:
    """The whole text, each section preceded by its locator in brackets (`[page 3]`)."""
    return "\n\n".join(f"[{section.locator}]\n{section.text}" for section in sections)


def _clean(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _pdf_sections(data: bytes, max_pages: int | None, max_chars: int | None) -> list[Section]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    if max_pages is not None and len(reader.pages) > max_pages:
        raise DocumentTooLongError(f"document.pdf: more than {max_pages} pages")
    sections = []
    chars = 0
    for number, page in enumerate(reader.pages, start=1):
        text = _clean(page.extract_text() or "")
        if text:
            sections.append(Section(locator=f"page {number}", text=text, page=number))
            chars += len(text)
            if max_chars is not None and chars > max_chars:
                raise DocumentTooLongError(f"document.pdf: more than {max_chars} characters of text")
    return sections


def _docx_sections(data: bytes) -> list[Section]:
    document = docx.Document(io.BytesIO(data))
    sections: list[Section] = []
    heading: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if heading is not None or lines:
            locator = f"section « {heading} »" if heading else "début du document"
            sections.append(Section(locator=locator, text=_clean("\n".join(lines)), heading=heading))

    # Body order matters (tables sit between paragraphs), so walk the blocks as they appear.
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph) and _HEADING_STYLE.match(block.style.name if block.style else ""):
            flush()
            heading, lines = block.text.strip(), []
        elif isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows)
    flush()
    return [section for section in sections if section.text or section.heading]
