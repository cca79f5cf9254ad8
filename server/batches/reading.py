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
            f"Le fichier fait {_megabytes(len(data))} : la limite est de {_megabytes(max_bytes)}. "
            "Découpez l'export en plusieurs fichiers.",
        )
    if not data.strip():
        raise TableError("Le fichier est vide.", code="empty_table")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xlsx" or data[:4] == b"PK\x03\x04":
        cells = _xlsx_cells(data, max_rows)
    elif suffix in {"csv", "txt", "tsv"}:
        cells = _csv_cells(data, max_rows)
    elif suffix in {"xls", "ods"}:
        raise TableError(
            f"Le format .{suffix} n'est pas pris en charge : enregistrez le tableau en .xlsx ou en .csv.",
            code="unsupported_table",
        )
    else:
        raise TableError(
            "Seuls les fichiers CSV et XLSX sont acceptés.",
            code="unsupported_table",
        )
    return _table(cells, max_rows)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


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
                f"Encodage non reconnu (octet 0x{data[exc.start]:02x} ligne {line}) : le fichier n'est "
                "ni en UTF-8 ni en Windows-1252. Enregistrez-le depuis Excel au format « CSV UTF-8 ».",
                code="unreadable_encoding",
            ) from None
    raise TableError(
        "Encodage non reconnu : le fichier contient des octets nuls ou n'est pas un texte. "
        "Enregistrez-le depuis Excel au format « CSV UTF-8 ».",
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
            f"Ligne {reader.line_num} illisible ({exc}) : vérifiez les guillemets.", code="unreadable_table"
        ) from None
    return rows


def _xlsx_cells(data: bytes, max_rows: int) -> list[list[str]]:
    from openpyxl import load_workbook  # only where XLSX files are read

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _XLSX_MAX_UNPACKED:
                raise TableTooLargeError("Le classeur décompressé dépasse 200 Mo : il est refusé.")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(
            f"Classeur XLSX illisible ({type(exc).__name__}) : enregistrez-le à nouveau depuis Excel.",
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


def _formula_error(where: str, value: str) -> TableError:
    shown = value if len(value) <= 40 else value[:40] + "…"
    return TableError(
        f"Le fichier contient une formule ({where} : « {shown} ») : exportez les valeurs seules "
        "(aucune formule n'est exécutée ni transmise).",
        code="formula_in_table",
    )


def _table(cells: list[list[str]], max_rows: int) -> Table:
    while cells and not any(value.strip() for value in cells[-1]):
        cells.pop()
    if not cells:
        raise TableError("Le fichier est vide.", code="empty_table")
    header = [value.strip() for value in cells[0]]
    while header and not header[-1]:
        header.pop()
    columns = _columns(header)
    body = [row for row in cells[1:] if any(value.strip() for value in row)]
    if not body:
        raise TableError("Le fichier ne contient que l'en-tête : aucune ligne à traiter.", code="empty_table")
    if len(body) > max_rows:
        raise TableTooLargeError(f"Le fichier a plus de {max_rows} lignes : découpez-le.")
    table = Table(columns)
    for number, row in enumerate(body, start=1):
        if any(value.strip() for value in row[len(columns) :]):
            raise TableError(
                f"La ligne {number} a plus de valeurs ({len(row)}) que l'en-tête n'a de colonnes "
                f"({len(columns)}).",
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
        raise TableError("La première ligne doit nommer les colonnes.", code="missing_header")
    if len(header) > MAX_COLUMNS:
        raise TableError(f"Le fichier a plus de {MAX_COLUMNS} colonnes.", code="too_many_columns")
    columns: list[Column] = []
    seen: dict[str, str] = {}
    for index, name in enumerate(header, start=1):
        if _FORMULA.match(name):
            raise _formula_error(f"en-tête, colonne {index}", name)
        key = column_key(name)
        if not key:
            raise TableError(f"La colonne {index} n'a pas de nom.", code="missing_header")
        if key in seen:
            raise TableError(
                f"Les colonnes « {seen[key]} » et « {name} » portent le même nom.", code="duplicate_column"
            )
        seen[key] = name
        columns.append(Column(name, key))
    return columns


def _check_cell(value: str, number: int, column: Column) -> None:
    if _FORMULA.match(value):
        raise _formula_error(f"ligne {number}, colonne « {column.name} »", value)
    if len(value) > MAX_CELL_CHARS:
        raise TableError(
            f"La valeur de la ligne {number}, colonne « {column.name} », dépasse {MAX_CELL_CHARS} "
            "caractères.",
            code="cell_too_long",
        )
    if _CONTROL.search(value):
        raise TableError(
            f"La valeur de la ligne {number}, colonne « {column.name} », contient des caractères de "
            "contrôle.",
            code="unreadable_table",
        )
