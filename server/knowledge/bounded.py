"""Extraction of an uploaded file off the event loop, in a bounded child process, a few at a time.

A PDF or DOCX is parsed by libraries that a crafted file can keep busy for minutes or make inflate
gigabytes; in the API process that would block every request and could exhaust the pod. So the
file is read by `server.knowledge.reader` through `server.intake.ocr.run_bounded` (the scan reader's
mechanism): its own process group, bounded address space and CPU, killed at a timeout. Any such
end is the same 422 `document_too_complex` for the user, and nothing is stored.
"""

from __future__ import annotations

import asyncio
import json
import sys
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from server.intake.ocr import run_bounded
from server.knowledge.extraction import (
    Extracted,
    ExtractionError,
    MediaType,
    media_type_of,
    too_complex,
    too_long,
)
from server.knowledge.settings import ReadingSettings
from server.messages import MESSAGES
from tools.doctext import Section
from tools.i18n import Text

READING_SLOTS = 2  # readers (extraction or OCR of uploads) at once in one API process
_SLOTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class ReadingLimits:
    """What reading one file may cost; `max_pages`/`max_chars` bound a PDF (None: no bound)."""

    memory_mb: int = 512
    cpu_seconds: int = 30
    timeout_seconds: float = 45.0
    max_pages: int | None = None
    max_chars: int | None = None

    @classmethod
    def of(
        cls, settings: ReadingSettings, *, max_pages: int | None = None, max_chars: int | None = None
    ) -> ReadingLimits:
        """The operator's bounds (`ARIANE_READING__*`) with a use's own caps on a PDF."""
        return cls(
            memory_mb=settings.memory_mb,
            cpu_seconds=settings.cpu_seconds,
            timeout_seconds=settings.timeout_seconds,
            max_pages=max_pages,
            max_chars=max_chars,
        )


@asynccontextmanager
async def reading_slot() -> AsyncIterator[None]:
    """Hold one of the process's reading slots (one semaphore per event loop, in practice one)."""
    loop = asyncio.get_running_loop()
    slots = _SLOTS.get(loop)
    if slots is None:
        slots = _SLOTS[loop] = asyncio.Semaphore(READING_SLOTS)
    async with slots:
        yield


async def extract_bounded(data: bytes, filename: str, limits: ReadingLimits) -> Extracted:
    """`server.knowledge.extraction.extract` in a bounded child process.

    Raises:
        ExtractionError: as `extract` does; `document_too_complex` when the reader ran out of time or
            memory (or died any other way).
    """
    media_type_of(filename)  # an unsupported name is refused without starting a process
    command = [
        sys.executable,
        "-m",
        "server.knowledge.reader",
        f"--name={filename}",  # `=`: a name starting with `-` stays a value
        f"--max-pages={limits.max_pages or 0}",
        f"--max-chars={limits.max_chars or 0}",
    ]
    try:
        out, returncode = await run_bounded(
            command,
            data,
            memory_bytes=limits.memory_mb * 1024 * 1024,
            cpu_seconds=limits.cpu_seconds,
            timeout_seconds=limits.timeout_seconds,
        )
    except TimeoutError as exc:
        raise too_complex(filename) from exc
    return _parsed(out, returncode, filename, limits)


def _parsed(out: bytes, returncode: int | None, filename: str, limits: ReadingLimits) -> Extracted:
    try:
        result: dict[str, Any] = json.loads(out) if out else {}
    except ValueError:
        result = {}
    if returncode != 0 or not isinstance(result, dict):
        raise too_complex(filename)  # killed by a limit (memory, CPU) or crashed
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
