"""Reading a table (CSV or XLSX) into columns and rows, refusing bad files with a French reason.

Nothing of a file is sent anywhere before it has been read whole here: a wrong encoding, an empty
file, a file too large, a formula, a ragged row or a duplicate header is refused with the place it
was found, so that the secretary can fix the export and upload it again.

Choices: CSV files are read as UTF-8 (with or without BOM), else as Windows-1252 — what Excel in
French writes by default — and anything else (NUL bytes, bytes Windows-1252 does not define) is
refused. Delimiters `;` (Excel in French), `,` and tabs are recognised. A cell that a spreadsheet would
run as a formula (`=…`, or `+`, `-`, `@` followed by a function call or a command) is refused: a
report export holds values, and such a cell is either a mistake or an injection. XLSX files are read
without evaluating anything (openpyxl, formulas seen as formulas), first sheet only.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from server.errors import ApiError
from server.messages import MESSAGES
from tools.i18n import Text

MAX_COLUMNS = 100
MAX_CELL_CHARS = 10_000
_XLSX_MAX_UNPACKED = 200 * 1024 * 1024  # a zip bomb stops here, whatever the file's own size
_FORMULA = re.compile(r"^\s*(?:=|[+\-@]\s*[A-Za-z_][\w.]*\s*[(!|]|[+\-@]\s*=)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class TableError(ApiError):
    """A table that cannot be used; nothing was stored."""

    status_code = 422
    code = "invalid_table"


class TableTooLargeError(TableError):
    """Over the size limit."""

    status_code = 413
    code = "table_too_large"


@dataclass(frozen=True)
class Column:
    """A header as written in the file, and the key templates name it by (`{{ key }}`)."""

    name: str
    key: str


@dataclass
class Table:
    """A table read whole: its columns, in order, and its rows as `key → text`."""

    columns: list[Column]
    rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The column keys, in order."""
        return [column.key for column in self.columns]


def column_key(name: str) -> str:
    """The template key of a header: accents dropped, lower case, words joined by `_`.

    « Civilité » → `civilite`, « Date du rendez-vous » → `date_du_rendez_vous`.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def read_table(filename: str, data: bytes, *, max_bytes: int, max_rows: int) -> Table:
    """The table a CSV or XLSX file holds.

    Raises:
        TableTooLargeError: over `max_bytes`, or more than `max_rows` rows.
        TableError: unsupported type, unreadable, empty, formulas, ragged or duplicate headers.
    """
    if len(data) > max_bytes:
        raise TableTooLargeError(
            MESSAGES("batches.file_too_large", size=_megabytes(len(data)), limit=_megabytes(max_bytes))
        )
    if not data.strip():
        raise TableError(MESSAGES("batches.empty_file"), code="empty_table")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xlsx" or data[:4] == b"PK\x03\x04":
        cells = _xlsx_cells(data, max_rows)
    elif suffix in {"csv", "txt", "tsv"}:
        cells = _csv_cells(data, max_rows)
    elif suffix in {"xls", "ods"}:
        raise TableError(
            MESSAGES("batches.unsupported_format", suffix=suffix),
            code="unsupported_table",
        )
    else:
        raise TableError(
            MESSAGES("batches.csv_xlsx_only"),
            code="unsupported_table",
        )
    return _table(cells, max_rows)


def _megabytes(size: int) -> Text:
    whole, _, tenth = f"{size / (1024 * 1024):.1f}".partition(".")
    return MESSAGES("batches.megabytes", whole=whole, tenth=tenth)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise TableError(
                MESSAGES("batches.unknown_encoding_at", byte=f"{data[exc.start]:02x}", line=line),
                code="unreadable_encoding",
            ) from None
    raise TableError(
        MESSAGES("batches.unknown_encoding"),
        code="unreadable_encoding",
    )


def _csv_cells(data: bytes, max_rows: int) -> list[list[str]]:
    text = _decode(data)
    first_lines = "\n".join(text.splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(first_lines, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {sep: first_lines.count(sep) for sep in (";", ",", "\t")}
        delimiter = max(counts, key=lambda sep: counts[sep])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if len(rows) > max_rows + 1:
                break
            rows.append(row)
    except csv.Error as exc:
        raise TableError(
            MESSAGES("batches.unreadable_line", line=reader.line_num, error=str(exc)),
            code="unreadable_table",
        ) from None
    return rows


def _xlsx_cells(data: bytes, max_rows: int) -> list[list[str]]:
    from openpyxl import load_workbook  # only where XLSX files are read

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _XLSX_MAX_UNPACKED:
                raise TableTooLargeError(MESSAGES("batches.workbook_too_large"))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(
            MESSAGES("batches.unreadable_workbook", error=type(exc).__name__),
            code="unreadable_table",
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows():
            if len(rows) > max_rows + 1:
                break
            values = []
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    raise _formula_error(f"{cell.coordinate}", str(cell.value))
                values.append(_cell_text(cell.value))
            rows.append(values)
    finally:
        workbook.close()
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    return str(value)


def _formula_error(where: str | Text, value: str) -> TableError:
    shown = value if len(value) <= 40 else value[:40] + "…"
    return TableError(
        MESSAGES("batches.formula", where=where, value=shown),
        code="formula_in_table",
    )


def _table(cells: list[list[str]], max_rows: int) -> Table:
    while cells and not any(value.strip() for value in cells[-1]):
        cells.pop()
    if not cells:
        raise TableError(MESSAGES("batches.empty_file"), code="empty_table")
    header = [value.strip() for value in cells[0]]
    while header and not header[-1]:
        header.pop()
    columns = _columns(header)
    body = [row for row in cells[1:] if any(value.strip() for value in row)]
    if not body:
        raise TableError(MESSAGES("batches.header_only"), code="empty_table")
    if len(body) > max_rows:
        raise TableTooLargeError(MESSAGES("batches.too_many_rows", limit=max_rows))
    table = Table(columns)
    for number, row in enumerate(body, start=1):
        if any(value.strip() for value in row[len(columns) :]):
            raise TableError(
                MESSAGES("batches.ragged_row", number=number, values=len(row), columns=len(columns)),
                code="ragged_table",
            )
        values: dict[str, str] = {}
        for index, column in enumerate(columns):
            value = row[index].strip() if index < len(row) else ""
            _check_cell(value, number, column)
            values[column.key] = value
        table.rows.append(values)
    return table


def _columns(header: list[str]) -> list[Column]:
    if not header:
        raise TableError(MESSAGES("batches.missing_header"), code="missing_header")
    if len(header) > MAX_COLUMNS:
        raise TableError(MESSAGES("batches.too_many_columns", limit=MAX_COLUMNS), code="too_many_columns")
    columns: list[Column] = []
    seen: dict[str, str] = {}
    for index, name in enumerate(header, start=1):
        if _FORMULA.match(name):
            raise _formula_error(MESSAGES("batches.where_header", index=index), name)
        key = column_key(name)
        if not key:
            raise TableError(MESSAGES("batches.unnamed_column", index=index), code="missing_header")
        if key in seen:
            raise TableError(
                MESSAGES("batches.duplicate_column", first=seen[key], second=name), code="duplicate_column"
            )
        seen[key] = name
        columns.append(Column(name, key))
    return columns


def _check_cell(value: str, number: int, column: Column) -> None:
    if _FORMULA.match(value):
        raise _formula_error(MESSAGES("batches.where_cell", number=number, column=column.name), value)
    if len(value) > MAX_CELL_CHARS:
        raise TableError(
            MESSAGES("batches.cell_too_long", number=number, column=column.name, limit=MAX_CELL_CHARS),
            code="cell_too_long",
        )
    if _CONTROL.search(value):
        raise TableError(
            MESSAGES("batches.cell_control", number=number, column=column.name),
            code="unreadable_table",
        )
