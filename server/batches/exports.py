"""Exports of a batch: the outputs as CSV or XLSX, the letters as DOCX on the letterhead.

What leaves: the rows that ended with a letter and, when the template asks for review, only those a
reviewer accepted or edited (the edit is what leaves). Rejected rows never leave. Cells that a
spreadsheet would run as a formula are neutralised (a leading apostrophe in CSV, text cells in XLSX),
since model outputs and table values are data, never commands.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK

from server.batches.views import final_text

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_STATUS = {
    "done": "traitée",
    "refused": "refusée",
    "failed": "en échec",
    "cancelled": "annulée",
    "pending": "en attente",
    "sending": "en cours",
}
_REVIEW = {"pending": "à relire", "accepted": "acceptée", "edited": "corrigée", "rejected": "rejetée"}


def leaving(batch: dict[str, Any], rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows whose letter may leave."""
    kept = []
    for row in rows:
        if final_text(row) is None:
            continue
        if batch["review_required"] and row["review"] not in {"accepted", "edited"}:
            continue
        kept.append(row)
    return kept


def _table(batch: dict[str, Any], rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    columns = batch["columns"]
    header = ["ligne", *[c["name"] for c in columns], "statut", "relecture", "courrier"]
    lines = [
        [
            str(row["number"]),
            *[str(row["values"].get(c["key"], "")) for c in columns],
            _STATUS.get(row["status"], row["status"]),
            _REVIEW.get(row["review"], row["review"]),
            final_text(row) or "",
        ]
        for row in rows
    ]
    return header, lines


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(batch: dict[str, Any], rows: list[dict[str, Any]]) -> bytes:
    """The leaving rows as CSV (UTF-8 with BOM, `;`: what Excel in French opens as it is)."""
    header, lines = _table(batch, rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_safe(value) for value in header])
    writer.writerows([[_safe(value) for value in line] for line in lines])
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(batch: dict[str, Any], rows: list[dict[str, Any]]) -> bytes:
    """The leaving rows as an XLSX workbook, every cell a text cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    header, lines = _table(batch, rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Courriers")
    for line in [header, *lines]:
        cells = []
        for value in line:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # a text starting with « = » stays text
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _append_letter(document: Any, text: str) -> None:
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        document.add_paragraph(paragraph.strip())


def letter_docx(letterhead: bytes, text: str) -> bytes:
    """One letter on the letterhead."""
    document = Document(io.BytesIO(letterhead))
    _append_letter(document, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def merged_docx(letterhead: bytes, texts: list[str]) -> bytes:
    """Every letter in one document, each on a new page, the letterhead on every page."""
    document = Document(io.BytesIO(letterhead))
    template_body = [
        copy.deepcopy(element) for element in document.element.body if element.tag.endswith("}p")
    ]
    for index, text in enumerate(texts):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            for element in template_body:
                document.element.body.append(copy.deepcopy(element))
        _append_letter(document, text)
    _keep_section_last(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _keep_section_last(document: Any) -> None:
    """The body's section properties must stay its last child (Word refuses the file otherwise)."""
    body = document.element.body
    for element in list(body):
        if element.tag.endswith("}sectPr"):
            body.remove(element)
            body.append(element)


def letters_zip(letterhead: bytes, rows: list[dict[str, Any]]) -> bytes:
    """One DOCX per leaving row, in a ZIP (`courrier-0001.docx`, …)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            text = final_text(row) or ""
            archive.writestr(f"courrier-{row['number']:04d}.docx", letter_docx(letterhead, text))
    return out.getvalue()


def default_letterhead() -> bytes:
    """The CHRU Exemple letterhead shipped beside this module."""
    return (Path(__file__).parent / "letterhead.docx").read_bytes()
