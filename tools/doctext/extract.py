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
from pypdf.errors import PdfReadError

_HEADING_STYLE = re.compile(r"^(Title|Heading \d)$")
_SPACES = re.compile(r"[ \t\u00a0]+")


class DocumentFormatError(ValueError):
    """The bytes are not a readable PDF or DOCX file."""


@dataclass(frozen=True)
class Section:
    """A citable part of a document: a PDF page or a DOCX heading with what follows it."""

    locator: str
    text: str
    page: int | None = None
    heading: str | None = None


def extract_sections(data: bytes, name: str) -> list[Section]:
    """Sections of a document, chosen by its file extension.

    Raises:
        DocumentFormatError: unknown extension, or a file that cannot be parsed.
    """
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix == ".pdf":
            return _pdf_sections(data)
        if suffix == ".docx":
            return _docx_sections(data)
    except (PdfReadError, ValueError, KeyError) as exc:
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


def _pdf_sections(data: bytes) -> list[Section]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    sections = []
    for number, page in enumerate(reader.pages, start=1):
        text = _clean(page.extract_text() or "")
        if text:
            sections.append(Section(locator=f"page {number}", text=text, page=number))
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
