"""Hostile files are refused cheaply, or read in a bounded child process that cannot block the API."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from server.knowledge.bounded import extract_bounded
from server.knowledge.extraction import ExtractionError, extract
from tools.doctext.bounded import ReadingLimits


def _zip(entries: dict[str, bytes]) -> bytes:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return sink.getvalue()


def test_a_docx_that_would_inflate_hugely_is_refused_before_parsing() -> None:
    bomb = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b" " * (60 * 1024 * 1024)})
    with pytest.raises(ExtractionError) as caught:
        extract(bomb, "rapport.docx")
    assert caught.value.code == "document_too_complex"


def test_a_truncated_document_xml_is_unreadable_not_a_crash() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(_zip({"word/document.xml": b"<w:document"}), "rapport.docx")
    assert caught.value.code == "unreadable_document"


def test_a_heading_line_full_of_spaces_is_read_in_linear_time() -> None:
    started = time.monotonic()
    extracted = extract(("# a" + " " * 20000 + "x\ntexte").encode(), "notes.md")
    assert time.monotonic() - started < 0.5
    assert extracted.sections[0].heading is not None


@pytest.mark.anyio
async def test_a_reader_past_its_time_is_killed_and_the_file_called_too_complex() -> None:
    with pytest.raises(ExtractionError) as caught:
        await extract_bounded(b"du texte", "notes.txt", ReadingLimits(timeout_seconds=0.01))
    assert caught.value.code == "document_too_complex"
