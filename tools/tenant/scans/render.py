"""Draw a sample document as a scan: A4 page, fonts, table, then the defects of real scans.

Defects: skew, speckle and Gaussian noise, a rubber stamp across the text, a fax header with a
fax's coarse vertical resolution and black-and-white thresholding, JPEG compression, lower resolution.
"""

from __future__ import annotations

import io
import random
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tools.tenant.scans.content import Document, Line, short_date

FONTS = Path("/usr/share/fonts/truetype/dejavu")
A4_INCHES = (8.27, 11.69)


def _font(name: str, points: float, dpi: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / name), round(points * dpi / 72))


class _Pen:
    """Writes lines down a page, with a left margin and a line height per style."""

    def __init__(self, page: Image.Image, dpi: int, serif: bool) -> None:
        self.draw = ImageDraw.Draw(page)
        self.dpi = dpi
        self.x = round(0.9 * dpi)
        self.y = round(0.8 * dpi)
        self.width = page.width - 2 * self.x
        body = "DejaVuSerif.ttf" if serif else "DejaVuSans.ttf"
        self.fonts = {
            "title": _font("DejaVuSans-Bold.ttf", 15, dpi),
            "heading": _font("DejaVuSans-Bold.ttf", 12, dpi),
            "bold": _font("DejaVuSans-Bold.ttf", 10.5, dpi),
            "small": _font("DejaVuSans.ttf", 8, dpi),
            "text": _font(body, 10.5, dpi),
            "right": _font(body, 10.5, dpi),
            "signature": _font("DejaVuSans-Oblique.ttf", 10.5, dpi),
            "table": _font("DejaVuSans.ttf", 9.5, dpi),
        }

    def write(self, line: Line) -> None:
        font = self.fonts[line.style]
        height = round(font.size * 1.55)
        if line.style == "table":
            columns = (0.0, 0.42, 0.6, 0.74)
            for cell, at in zip(line.cells, columns, strict=False):
                self.draw.text((self.x + at * self.width, self.y), cell, font=font, fill=(0, 0, 0))
            self.y += height
            return
        for text in self._wrapped(line.text, font):
            x = self.x
            if line.style == "right":
                x = self.x + self.width - round(self.draw.textlength(text, font=font))
            self.draw.text((x, self.y), text, font=font, fill=(0, 0, 0))
            self.y += height
        if line.style in {"title", "heading"}:
            self.y += height // 3

    def _wrapped(self, text: str, font: ImageFont.FreeTypeFont) -> list[str]:
        words, lines, current = text.split(), [], ""
        for word in words:
            trial = f"{current} {word}".strip()
            if current and self.draw.textlength(trial, font=font) > self.width:
                lines.append(current)
                current = word
            else:
                current = trial
        return [*lines, current] if current or not lines else lines


def _stamp(page: Image.Image, dpi: int, rng: random.Random, text: str) -> None:
    """A rubber stamp « REÇU LE … », rotated, in red or blue ink, partly over the text."""
    size = (round(2.6 * dpi), round(1.0 * dpi))
    stamp = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(stamp)
    ink = (190, 30, 40, 170) if rng.random() < 0.5 else (30, 60, 170, 170)
    draw.rounded_rectangle((4, 4, size[0] - 4, size[1] - 4), radius=dpi // 8, outline=ink, width=dpi // 40)
    font = _font("DejaVuSans-Bold.ttf", 13, dpi)
    draw.text((dpi // 6, dpi // 8), "REÇU LE", font=font, fill=ink)
    draw.text((dpi // 6, dpi // 2), text, font=font, fill=ink)
    stamp = stamp.rotate(rng.uniform(-18, 18), expand=True, resample=Image.Resampling.BICUBIC)
    at = (rng.randrange(page.width // 2, page.width - stamp.width), rng.randrange(dpi, 3 * dpi))
    page.paste(stamp, at, stamp)


def _fax_header(page: Image.Image, dpi: int, text: str) -> None:
    ImageDraw.Draw(page).text(
        (dpi // 3, dpi // 6), text, font=_font("DejaVuSansMono.ttf", 8, dpi), fill=(0, 0, 0)
    )


def _degrade(page: Image.Image, defects: dict[str, object], rng: random.Random) -> Image.Image:
    """Skew, noise, fax resolution and thresholding, as the document's defects say."""
    gray = page.convert("L")
    if defects.get("fax"):  # 200 x 100 dpi, black and white
        gray = gray.resize((gray.width, gray.height // 2)).resize(gray.size)
        gray = gray.point(lambda value: 255 if value > 150 else 0)
    angle = float(defects.get("skew", 0.0))  # type: ignore[arg-type]
    if angle:
        gray = gray.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    pixels = np.asarray(gray, dtype=np.float64)
    generator = np.random.default_rng(rng.randrange(2**32))
    noise = float(defects.get("noise", 0.0))  # type: ignore[arg-type]
    if noise:
        pixels = pixels + generator.normal(0.0, noise, pixels.shape)
    speckle = float(defects.get("speckle", 0.0))  # type: ignore[arg-type]
    if speckle:
        dots = generator.random(pixels.shape)
        pixels[dots < speckle / 2] = 0
        pixels[dots > 1 - speckle / 2] = 255
    result = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    if defects.get("blur"):
        result = result.filter(ImageFilter.GaussianBlur(0.8))
    return result


def render_pages(document: Document, rng: random.Random) -> list[Image.Image]:
    """The document's pages as scanned images."""
    defects = document.defects
    dpi = int(defects.get("dpi", 200))  # type: ignore[call-overload]
    serif = bool(defects.get("serif"))
    pages = []
    for number, lines in enumerate(document.pages, start=1):
        page = Image.new("RGB", (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)), "white")
        pen = _Pen(page, dpi, serif)
        for line in lines:
            pen.write(line)
        if defects.get("stamp") and number == 1:
            _stamp(page, dpi, rng, str(defects["stamp"]))
        if defects.get("fax"):
            _fax_header(page, dpi, f"{defects['fax']}   P.{number:03d}/{len(document.pages):03d}")
        pages.append(_degrade(page, defects, rng))
    return pages


def encode(pages: list[Image.Image], file_format: str, dpi: int) -> bytes:
    """The scan file: PNG or JPEG (one page), multi-page TIFF, or an image-only PDF."""
    sink = io.BytesIO()
    first, rest = pages[0], pages[1:]
    if file_format == "pdf":
        stamp = time.strptime(
            "2026-12-01", "%Y-%m-%d"
        )  # fixed, so that the same document gives the same bytes
        first.save(
            sink,
            "PDF",
            save_all=True,
            append_images=rest,
            resolution=dpi,
            quality=80,
            creationDate=stamp,
            modDate=stamp,
            producer="CHRU Exemple - numerisation",
        )
    elif file_format == "tiff":
        first.save(
            sink, "TIFF", save_all=True, append_images=rest, compression="tiff_deflate", dpi=(dpi, dpi)
        )
    elif file_format == "jpg":
        first.save(sink, "JPEG", quality=70, dpi=(dpi, dpi))
    else:
        first.save(sink, "PNG", dpi=(dpi, dpi), optimize=False)
    return sink.getvalue()


__all__ = ["encode", "render_pages", "short_date"]
