"""Read one untrusted scan in a subprocess of its own: `python -m server.intake.reader`.

The scan's bytes come on standard input; one JSON object goes to standard output: the pages (size,
words with their boxes and confidences, a preview image) or `{"error": code, "detail": …}`. The
parent (`server.intake.ocr`) bounds this process's memory, CPU time and file sizes and kills it at a
timeout, so that a decompression bomb or a hostile PDF costs at most that; nothing here touches the
network, the database or any file but a private temporary folder.
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from server.messages import MESSAGES
from tools.i18n import Text

SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
    b"%PDF-": "pdf",
}
# Pages wider than this are scaled down before OCR: A4 at about 200 dpi, where Tesseract reads 9-point
# text as well as at 300 dpi, in two thirds of the time (measured on the dev split, README).
OCR_MAX_WIDTH = 1700
PREVIEW_WIDTH = 1000


class ScanError(Exception):
    """A scan that cannot be read; `code` is stable, `detail` a catalogue text (French in `str`)."""

    def __init__(self, code: str, detail: Text) -> None:
        super().__init__(str(detail))
        self.code = code
        self.detail = detail


def sniff(data: bytes) -> str:
    """The file's format from its first bytes, never from its name.

    Raises:
        ScanError: not a PNG, JPEG, TIFF or PDF file.
    """
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            return kind
    raise ScanError("unsupported_format", MESSAGES("intake.unsupported_format"))


def _open_image(data: bytes, max_pixels: int) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.size  # noqa: B018 - reading the header checks the pixel count
            return image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ScanError("image_too_large", MESSAGES("intake.image_too_large")) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ScanError("unreadable_scan", MESSAGES("intake.unreadable_file")) from exc


def _frames(image: Image.Image, max_pages: int) -> Iterator[Image.Image]:
    count = getattr(image, "n_frames", 1)
    if count > max_pages:
        raise ScanError("too_many_pages", MESSAGES("intake.too_many_pages", count=count, limit=max_pages))
    for index in range(count):
        image.seek(index)
        try:
            yield ImageOps.exif_transpose(image.convert("L"))
        except (OSError, ValueError) as exc:
            raise ScanError("unreadable_scan", MESSAGES("intake.unreadable_page", number=index + 1)) from exc


def _pdf_pages(data: bytes, max_pages: int, max_pixels: int) -> Iterator[Image.Image]:
    """The scanned image of each page of an image-only PDF (the largest image on the page)."""
    from pypdf import PdfReader  # only PDFs pay for importing it (the reader starts once per scan)

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ScanError("unreadable_scan", MESSAGES("intake.encrypted_pdf"))
        count = len(reader.pages)
    except ScanError:
        raise
    except Exception as exc:  # pypdf raises many kinds on hostile files; any of them means "unreadable"
        raise ScanError("unreadable_scan", MESSAGES("intake.unreadable_pdf")) from exc
    if count > max_pages:
        raise ScanError("too_many_pages", MESSAGES("intake.too_many_pages", count=count, limit=max_pages))
    for number, page in enumerate(reader.pages, start=1):
        try:
            images = [(len(item.data), item.data) for item in page.images]
        except Exception as exc:  # as above: a broken image stream is an unreadable page
            raise ScanError("unreadable_scan", MESSAGES("intake.unreadable_pdf_page", number=number)) from exc
        if not images:
            raise ScanError("no_scanned_image", MESSAGES("intake.no_scanned_image", number=number))
        image = _open_image(max(images)[1], max_pixels)
        yield from _frames(image, 1)


def pages_of(data: bytes, max_pages: int, max_pixels: int) -> list[Image.Image]:
    """Every page of the scan as a grayscale image.

    Raises:
        ScanError: unsupported, unreadable, too large or too many pages.
    """
    if sniff(data) == "pdf":
        return list(_pdf_pages(data, max_pages, max_pixels))
    return list(_frames(_open_image(data, max_pixels), max_pages))


def scaled(image: Image.Image, width: int) -> Image.Image:
    """The image at most `width` pixels wide (proportions kept)."""
    if image.width <= width:
        return image
    # Bilinear with reducing_gap: as sharp as Lanczos for OCR at a third of the time on a 300 dpi page.
    size = (width, round(image.height * width / image.width))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def _words(tsv: str) -> list[list[Any]]:
    """Tesseract's TSV as [text, confidence, left, top, width, height, line key] per word."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        line = f"{row['block_num']}.{row['par_num']}.{row['line_num']}"
        words.append(
            [
                text,
                round(float(row["conf"]), 1),
                int(row["left"]),
                int(row["top"]),
                int(row["width"]),
                int(row["height"]),
                line,
            ]
        )
    return words


def ocr_page(image: Image.Image, tesseract: str, language: str, folder: Path) -> dict[str, Any]:
    """One page read by Tesseract: its words with positions, in the coordinates of the scaled page."""
    page = scaled(image, OCR_MAX_WIDTH)
    source = folder / "page.pgm"  # uncompressed: writing a noisy scan as PNG costs more than reading it
    page.save(source)
    done = subprocess.run(
        [tesseract, str(source), "stdout", "-l", language, "--psm", "3", "tsv"],
        capture_output=True,
        check=False,
        text=True,
    )
    if done.returncode != 0:
        raise ScanError("ocr_failed", MESSAGES("intake.ocr_failed"))
    preview = io.BytesIO()
    scaled(image, PREVIEW_WIDTH).save(preview, "JPEG", quality=70)
    return {
        "width": page.width,
        "height": page.height,
        "words": _words(done.stdout),
        "preview": base64.b64encode(preview.getvalue()).decode("ascii"),
    }


def main(argv: list[str] | None = None) -> int:
    """Read the scan on standard input; print the pages or the error as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tesseract", required=True)
    parser.add_argument("--language", default="fra")
    parser.add_argument("--max-pages", type=int, default=10)
    parser.add_argument("--max-pixels", type=int, default=40_000_000)
    args = parser.parse_args(argv)
    data = sys.stdin.buffer.read()
    try:
        images = pages_of(data, args.max_pages, args.max_pixels)
        with tempfile.TemporaryDirectory(prefix="ariane-ocr-") as folder:
            pages = [ocr_page(image, args.tesseract, args.language, Path(folder)) for image in images]
    except ScanError as exc:
        # The text by id and parameters: the parent renders it in its reader's language.
        detail = {"key": exc.detail.key, "params": dict(exc.detail.params)}
        json.dump({"error": exc.code, "detail": str(exc.detail), "text": detail}, sys.stdout)
        return 2
    json.dump({"pages": pages}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
