"""Reading untrusted scans in the bounded subprocess: real Tesseract, hostile and broken files."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter

from server.intake.ocr import ReadError, read_scan
from server.intake.settings import IntakeSettings
from tools.tenant.scans.build import render

pytestmark = pytest.mark.anyio
SETTINGS = IntakeSettings(max_pages=3, ocr_timeout_seconds=120)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb() -> bytes:
    """A few hundred bytes announcing a 100 000 x 100 000 pixel image."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _chunk(b"IEND", b"")
    )


def tiff_of(pages: int) -> bytes:
    images = [Image.new("L", (50, 50), 255) for _ in range(pages)]
    sink = io.BytesIO()
    images[0].save(sink, "TIFF", save_all=True, append_images=images[1:])
    return sink.getvalue()


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    sink = io.BytesIO()
    writer.write(sink)
    return sink.getvalue()


async def test_a_real_scan_is_read_in_french_with_word_positions(sample_documents):
    sample = render(sample_documents["scan-02"])  # a JPEG lab result: skew, noise
    [page] = await read_scan(sample.data, SETTINGS)
    text = " ".join(word[0] for word in page.words)
    assert sample_documents["scan-02"].truth["nom"] in text
    assert "Prélevé" in text
    assert all(
        len(word) == 7 and 0 <= word[2] < page.width and 0 <= word[3] < page.height for word in page.words
    )
    assert page.preview.startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (png_bomb(), "image_too_large"),
        (tiff_of(4), "too_many_pages"),
        (blank_pdf(), "no_scanned_image"),
        (b"%PDF-1.7\n garbage", "unreadable_scan"),
        (b"\x89PNG\r\n\x1a\n truncated", "unreadable_scan"),
        (
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
            "unsupported_format",
        ),
    ],
)
async def test_hostile_or_broken_files_are_refused_with_a_reason(data: bytes, code: str):
    with pytest.raises(ReadError) as caught:
        await read_scan(data, SETTINGS)
    assert caught.value.code == code


async def test_a_reading_that_exceeds_its_memory_limit_is_stopped():
    image = Image.new("RGBA", (9000, 9000), "white")  # 81 Mpx, allowed below: 310 MiB once decoded
    sink = io.BytesIO()
    image.save(sink, "PNG")
    with pytest.raises(ReadError) as caught:
        await read_scan(sink.getvalue(), IntakeSettings(ocr_memory_mb=256, max_pixels=100_000_000))
    assert caught.value.code == "unreadable_scan"


async def test_without_tesseract_the_reading_waits_to_be_retried():
    with pytest.raises(ReadError) as caught:
        await read_scan(tiff_of(1), IntakeSettings(tesseract="no-such-tesseract"))
    assert (caught.value.code, caught.value.final) == ("ocr_unavailable", False)
