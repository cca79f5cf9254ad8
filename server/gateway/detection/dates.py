"""Dates of birth, in every format a person writes one (on the folded view: lower case, no accents)."""

from __future__ import annotations

import re

_MONTHS = (
    r"(?:janv(?:ier)?|fevr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|aout|sept(?:embre)?|"
    r"oct(?:obre)?|nov(?:embre)?|dec(?:embre)?|[ivx]{1,4})\.?"
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_SEP = r"\s*[/.\-_ ]\s*"
DATE = (
    rf"(?:\d{{1,2}}{_SEP}\d{{1,2}}{_SEP}(?:{_YEAR}|\d\d)"  # 12/03/1985, 12-03-85, 12 . 03 . 1985
    rf"|{_YEAR}{_SEP}\d{{1,2}}{_SEP}\d{{1,2}}"  # 1985-03-12
    rf"|(?:\d{{1,2}}|1er|premier)\s*{_MONTHS}\s*(?:{_YEAR}|\d\d)"  # 12 mars 1985, 1er mars 85
    rf"|\d{{2}}[01]\d(?:19|20)\d\d"  # 12031985
    rf"|{_MONTHS}\s+{_YEAR})"  # mars 1985
)
_DATE = re.compile(rf"(?<!\d){DATE}(?!\d)")
_BIRTH = re.compile(
    rf"\b(?:nee?s?|ne\s*\(e\)|ne\W?e|naissance|naiss\.?|ddn|dob|born|date\s+de\s+naiss\w*)"
    rf"\s*(?:le|en|du|:|=|-)?\s*(?:le\s+)?(?:{DATE}|{_YEAR})(?!\d)"
)
# « 54 ans », « âgé de 54 ans », « 3 mois » (a baby): an age makes a person identifiable with the rest.
AGE = re.compile(r"\b(?:age|agee|ages)?\s*(?:de\s+)?\d{1,3}\s*(?:ans|mois)\b")


def has_birth_date(folded: str) -> bool:
    """True when a date of birth is written as one (« né le … », « date de naissance : … »)."""
    return _BIRTH.search(folded) is not None


def old_dates(folded: str, before_year: int) -> list[int]:
    """Offsets of dates whose year is before `before_year` (too old to be a meeting: maybe a birth)."""
    offsets = []
    for match in _DATE.finditer(folded):
        years = re.findall(r"(?:1[89]|20)\d\d", match.group())
        if years and int(years[-1]) < before_year:
            offsets.append(match.start())
    return offsets
