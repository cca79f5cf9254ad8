"""Tables pasted into a prompt (CSV, Markdown, tab-separated): each cell read with its column's header.

In a table the word that says what a number is stands in the header, lines away from the number
(« | Nom | IPP | Lit | … | Durand | 00458712 | 4 | »): the detectors that need that word next to
the number (patient identifiers, dates of birth) read the rows written out as « IPP : 00458712 ».
"""

from __future__ import annotations

import re

_DELIMITERS = ("|", ";", "\t", ",")
_RULE = re.compile(r"[\s|:\-+]*-{2,}[\s|:\-+]*")  # a Markdown table's line under its header
# A header names its columns in a few words; lines of prose with as many commas are no table.
_HEADER_WORDS = 4
_HEADER_CHARS = 40


def _header(cells: list[str]) -> bool:
    return all(len(cell) <= _HEADER_CHARS and len(cell.split()) <= _HEADER_WORDS for cell in cells)


def _cells(line: str, delimiter: str) -> list[str]:
    if delimiter == "|":
        line = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in line.split(delimiter)]


def labelled_rows(text: str) -> str:
    """The rows of every table in `text`, each cell after its header (« IPP : 00458712 ; Lit : 4 »).

    A table is a line of at least two cells followed by lines of as many cells, split by the same
    delimiter; an empty string when `text` holds none.
    """
    if "\n" not in text or not any(delimiter in text for delimiter in _DELIMITERS):
        return ""
    lines = [line for line in text.splitlines() if line.strip() and not _RULE.fullmatch(line)]
    rows: list[str] = []
    for delimiter in _DELIMITERS:
        header: list[str] = []
        for line in lines:
            cells = _cells(line, delimiter) if delimiter in line else []
            if len(cells) < 2:
                header = []
            elif len(cells) != len(header):
                header = cells if _header(cells) else []
            else:
                rows.append(" ; ".join(f"{name} : {cell}" for name, cell in zip(header, cells, strict=True)))
    return "\n".join(rows)
