"""Chunks that follow pages and headings: never across a section, bounded in size, a small overlap.

A chunk stays inside one section so that its locator (« page 9 », « section « 3. Barème » ») is exact
and a quote from it can be checked at that locator. Chunks hold the section's words verbatim (line
breaks become spaces, except after a table row), which is what citation checks compare modulo
whitespace; the one addition is a table's header row, repeated at the top of a chunk that starts
inside the table (a quote is one sentence or one row, so it stays verbatim).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.doctext import Section

MAX_CHARS = 900  # all-MiniLM-L6-v2 reads 256 tokens, about 900 characters of French
MIN_WORDS = 4
OVERLAP_MAX_CHARS = 200  # the previous chunk's last sentence, when it is short enough

# A paragraph ends at a blank line, or at a line break after closing punctuation (PDF lines are
# broken by the layout, mid-sentence, so a bare line break is not a paragraph end).
_PARAGRAPHS = re.compile(r"\n\s*\n|(?<=[.!?:;])[ \t]*\n")
_SENTENCES = re.compile(r"(?<=[.!?;])\s+")
# Article or chapter titles inside PDF pages, kept as the chunk's heading (« Article 23 — … »).
_TITLE_LINE = re.compile(r"^(?:Article|Titre|Chapitre|Annexe)\s+[\w.-]+\s+[—–-]\s+.{3,120}$", re.MULTILINE)


_PAGE_NUMBER = re.compile(r"^(?:Page\s+)?\d+\s*(?:/|sur)\s*\d+$", re.IGNORECASE)  # « Page 11/18 »


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage of a document at a locator."""

    ordinal: int
    locator: str
    page: int | None
    heading: str | None
    text: str


def chunk_sections(sections: list[Section], max_chars: int = MAX_CHARS) -> list[Chunk]:
    """The chunks of a document's sections, in reading order."""
    chunks: list[Chunk] = []
    title: str | None = None
    running = _running_headers(sections)
    for section in sections:
        text = "\n".join(
            line
            for line in section.text.split("\n")
            if line.strip() not in running and not _PAGE_NUMBER.match(line.strip())
        )
        for piece, last_title in _pieces(text, max_chars, title):
            chunks.append(
                Chunk(
                    ordinal=len(chunks),
                    locator=section.locator,
                    page=section.page,
                    heading=section.heading or last_title,
                    text=piece,
                )
            )
        titles = _TITLE_LINE.findall(section.text)
        title = titles[-1].strip() if titles else title
    return chunks


def _running_headers(sections: list[Section]) -> set[str]:
    """First or last lines repeated on most pages (« CHRU Exemple — RIGTT — version 4 »): noise."""
    pages = [section.text.strip().split("\n") for section in sections if section.page is not None]
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        for line in {lines[0].strip(), lines[-1].strip()}:
            counts[line] = counts.get(line, 0) + 1
    return {line for line, count in counts.items() if count * 2 > len(pages) and line}


_ROW = re.compile(r"^[^|\n]+(?:\s\|\s[^|\n]*){2,}$")  # a table row as extraction writes it: « a | b | c »


def _units(text: str, max_chars: int, title: str | None) -> list[tuple[str, str | None, str | None]]:
    """(unit, title in force, header of the table it is a row of) for each paragraph or table row."""
    units: list[tuple[str, str | None, str | None]] = []
    for paragraph in _PARAGRAPHS.split(text):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        rows = [line for line in lines if _ROW.match(line)]
        if len(rows) >= 2:  # a table: each row a unit of its own, which knows its header
            header = rows[0]
            prose: list[str] = []
            for line in [*lines, ""]:  # in reading order: prose around the table stays where it is
                if line and not _ROW.match(line):
                    prose.append(line)
                    continue
                if prose:
                    units.append((" ".join(" ".join(prose).split()), title, None))
                    prose = []
                if line:
                    units.append((" ".join(line.split()) + "\n", title, None if line is header else header))
            continue
        flat = " ".join(paragraph.split())
        if not flat:
            continue
        found = _TITLE_LINE.findall(paragraph)
        title = found[-1].strip() if found else title
        if len(flat) <= max_chars:
            units.append((flat, title, None))
        else:
            units.extend((sentence, title, None) for sentence in _split_long(flat, max_chars))
    return units


def _pieces(text: str, max_chars: int, title: str | None) -> list[tuple[str, str | None]]:
    """Pack the paragraphs of one section into pieces of at most `max_chars`, with overlap.

    A table row ends its line (so a passage can be cut row by row), and a piece that starts inside a
    table begins with the table's header row: a row is never read without its column names.
    """
    pieces: list[tuple[str, str | None]] = []
    current: list[str] = []
    current_title: str | None = None
    for unit, unit_title, header in _units(text, max_chars, title):
        if current and len(" ".join([*current, unit])) > max_chars:
            pieces.append((" ".join(current), current_title))
            tail = _SENTENCES.split(current[-1])[-1]
            overlap = not current[-1].endswith("\n") and len(tail) <= OVERLAP_MAX_CHARS
            current = [tail] if overlap and len(tail) + len(unit) < max_chars else []
        if not current:
            current_title = unit_title
            if header is not None:
                current.append(" ".join(header.split()) + "\n")
        current.append(unit)
    if current:
        pieces.append((" ".join(current), current_title))
    return [(piece.strip(), piece_title) for piece, piece_title in pieces if len(piece.split()) >= MIN_WORDS]


def _split_long(text: str, max_chars: int) -> list[str]:
    """A paragraph longer than a chunk, cut at sentence ends (or, failing that, at words)."""
    parts: list[str] = []
    for sentence in _SENTENCES.split(text):
        while len(sentence) > max_chars:
            cut = sentence[:max_chars].rsplit(" ", 1)[0] or sentence[:max_chars]
            parts.append(cut)
            sentence = sentence[len(cut) :].strip()
        if parts and len(parts[-1]) + 1 + len(sentence) <= max_chars:
            parts[-1] = f"{parts[-1]} {sentence}"
        elif sentence:
            parts.append(sentence)
    return parts
