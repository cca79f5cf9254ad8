"""Citations and their verification: a quote is shown only if it is found in its source at its locator."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel

from agents.folding import squash_spaces


class SourceKind(StrEnum):
    """Where a citation points."""

    TRANSCRIPT = "transcript"
    DOCUMENT = "document"
    KNOWLEDGE = "knowledge"
    ATTACHMENT = "attachment"  # a file the user attached to the conversation (`id`: the attachment's)


class Citation(BaseModel):
    """A verbatim quote and where to find it (`ariane ask --json` shape)."""

    source: SourceKind
    id: str
    title: str
    locator: str
    quote: str
    url: str | None = None
    speaker: str | None = None
    cue_ids: list[str] | None = None


class DroppedCitation(BaseModel):
    """A citation that failed verification, kept for the record (never shown)."""

    citation: Citation
    reason: str


MIN_QUOTE_CHARS = 12  # « on », « de »: found anywhere, they prove nothing


def quote_problem(quote: str, text: str) -> str | None:
    """Why `quote` cannot stand as evidence from `text` (`quote_too_short`, `quote_not_found`), or None."""
    if len(squash_spaces(quote)) < MIN_QUOTE_CHARS:
        return "quote_too_short"
    return None if quote_is_in(quote, text) else "quote_not_found"


def quote_is_in(quote: str, text: str) -> bool:
    """True when `quote` appears verbatim in `text`, modulo whitespace and apostrophe style."""
    needle = squash_spaces(quote)
    return bool(needle) and needle in squash_spaces(text)


_MARKER = re.compile(r"[ \u00a0]?\[(\d+)\]")


def renumber_markers(text: str, numbers: dict[int, int]) -> str:
    """Footnote markers « [n] » renumbered by `numbers`; a marker of no kept citation is removed."""

    def replace(match: re.Match[str]) -> str:
        kept = numbers.get(int(match.group(1)))
        return "" if kept is None else f"{match.group(0)[: -len(match.group(1)) - 2]}[{kept}]"

    return _MARKER.sub(replace, text)
