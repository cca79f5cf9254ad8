"""Extraction of an uploaded file off the event loop, in a bounded child process, a few at a time.

A PDF or DOCX is parsed by libraries that a crafted file can keep busy for minutes or make inflate
gigabytes; in the API process that would block every request and could exhaust the pod. So the
file is read by `server.knowledge.reader` through `tools.doctext.bounded.read_bounded` (the
mechanism of every reader of untrusted bytes, SharePoint documents' included): its own process
group, bounded address space and CPU, killed at a timeout. Any such end is the same 422
`document_too_complex` for the user, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from server.knowledge.extraction import (
    Extracted,
    ExtractionError,
    MediaType,
    media_type_of,
    too_complex,
    too_long,
)
from server.messages import MESSAGES
from tools.doctext import Section
from tools.doctext.bounded import DocumentTooComplexError, ReadingLimits, read_bounded
from tools.i18n import Text


async def extract_bounded(data: bytes, filename: str, limits: ReadingLimits) -> Extracted:
    """`server.knowledge.extraction.extract` in a bounded child process (the caller holds a reading slot).

    Raises:
        ExtractionError: as `extract` does; `document_too_complex` when the reader ran out of time or
            memory (or died any other way).
    """
    media_type_of(filename)  # an unsupported name is refused without starting a process
    arguments = [
        f"--name={filename}",
        f"--max-pages={limits.max_pages or 0}",
        f"--max-chars={limits.max_chars or 0}",
    ]
    try:
        result = await read_bounded("server.knowledge.reader", arguments, data, limits)
    except DocumentTooComplexError as exc:
        raise too_complex(filename) from exc
    return _parsed(result, filename, limits)


def _parsed(result: dict[str, Any], filename: str, limits: ReadingLimits) -> Extracted:
    if "error" in result:
        code = str(result["error"])
        if code == "document_too_complex":
            raise too_complex(filename)
        if code == "document_too_long":
            raise too_long(filename, limits.max_pages, limits.max_chars)
        raise ExtractionError(code, _message(result))
    if "sections" not in result:
        raise too_complex(filename)
    sections = [Section(**section) for section in result["sections"]]
    return Extracted(MediaType(result["media_type"]), sections, result["page_count"])


def _message(result: dict[str, Any]) -> str | Text:
    """The refusal's catalogue text, so that it reaches an English reader in English (else French)."""
    try:
        return MESSAGES.revive(result.get("text"))
    except ValueError:  # not a catalogue text the parent can render: the reader's French words
        return str(result.get("message", ""))
