"""Run the scan reader (`server.intake.reader`) in a subprocess with bounded memory, CPU and time.

It is started by `tools.doctext.bounded.run_bounded`, the one way Ariane runs a reader of untrusted
bytes (scans; uploaded, attached and SharePoint documents; batch tables).
"""

from __future__ import annotations

import base64
import json
import shutil
import sys
from dataclasses import dataclass
from typing import Any

from server.intake.settings import IntakeSettings
from server.messages import MESSAGES
from tools.doctext.bounded import run_bounded
from tools.i18n import Text


class ReadError(Exception):
    """The scan could not be read; `code` is stable. `final` when retrying is useless.

    `detail` is a catalogue text (or the reader's French when it names no known text); `str` is French.
    """

    def __init__(self, code: str, detail: str | Text, *, final: bool = True) -> None:
        super().__init__(str(detail))
        self.code = code
        self.detail = detail
        self.final = final


@dataclass(frozen=True)
class ReadPage:
    """One page as OCR read it."""

    number: int
    width: int
    height: int
    words: list[list[Any]]
    preview: bytes


async def read_scan(data: bytes, settings: IntakeSettings) -> list[ReadPage]:
    """The scan's pages read by Tesseract, in a subprocess of its own.

    Raises:
        ReadError: unsupported, unreadable, too large, too many pages, OCR missing, failed or too long.
    """
    tesseract = shutil.which(settings.tesseract)
    if tesseract is None:
        raise ReadError("ocr_unavailable", MESSAGES("intake.ocr_unavailable"), final=False)
    command = [
        sys.executable,
        "-m",
        "server.intake.reader",
        "--tesseract",
        tesseract,
        "--language",
        settings.language,
        "--max-pages",
        str(settings.max_pages),
        "--max-pixels",
        str(settings.max_pixels),
    ]
    try:
        out, returncode = await run_bounded(
            command,
            data,
            memory_bytes=settings.ocr_memory_mb * 1024 * 1024,
            cpu_seconds=int(settings.ocr_timeout_seconds) + 1,
            timeout_seconds=settings.ocr_timeout_seconds,
        )
    except TimeoutError as exc:
        raise ReadError("ocr_timeout", MESSAGES("intake.ocr_timeout")) from exc
    return _parsed(out, returncode)


def _parsed(out: bytes, returncode: int | None) -> list[ReadPage]:
    try:
        result = json.loads(out) if out else {}
    except ValueError:
        result = {}
    if "error" in result:
        raise ReadError(str(result["error"]), _text(result))
    if returncode != 0 or "pages" not in result:
        raise ReadError("unreadable_scan", MESSAGES("intake.reading_interrupted"))
    return [
        ReadPage(number, page["width"], page["height"], page["words"], base64.b64decode(page["preview"]))
        for number, page in enumerate(result["pages"], start=1)
    ]


def _text(result: dict[str, Any]) -> str | Text:
    """The reader's error as a catalogue text; its French as sent when it names no known text."""
    sent = result.get("text")
    if (
        isinstance(sent, dict)
        and sent.get("key") in MESSAGES.entries
        and isinstance(sent.get("params"), dict)
    ):
        return MESSAGES(str(sent["key"]), **sent["params"])
    return str(result["detail"])
