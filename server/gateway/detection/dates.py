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
# Numbers written in words (« né le douze mars mil neuf cent soixante »): read as digits where a
# date of birth is announced.
_UNITS = {"un": 1, "une": 1} | dict(
    zip(
        "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize".split(),
        range(2, 17),
        strict=True,
    )
)
_TENS = {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, "cents?", "mil(?:le)?", "et"])
_SPELLED = re.compile(rf"\b(?:{_NUMBER_WORD})(?:[\s\-]+(?:{_NUMBER_WORD}))*\b")
# « né le », « née en », « naissance : » right before a number in words: where the words are read.
# Tried only where one of its gates stands (a search of the whole text costs as much as `_BIRTH`'s).
_SPELLED_BIRTH = re.compile(
    rf"(?:nee?s?\s+(?:le|en)|naissance\s*(?:le|en|du|:)?)\s*(?:le\s+)?(?:premier|{_NUMBER_WORD})\b"
)
_SPELLED_GATES = ("ne le ", "nee le ", "nes le ", "nees le ", "ne en ", "nee en ", "naissance")
_SPELLED_DATE_CHARS = 100  # « le vingt-trois avril mil neuf cent cinquante-six » and some


def _number(words: list[str]) -> int | None:
    """The value of French number words (« mil neuf cent soixante » is 1960), None for « et » alone."""
    total = current = 0
    for word in words:
        if word in ("mil", "mille"):
            total, current = total + max(current, 1) * 1000, 0
        elif word in ("cent", "cents"):
            current = max(current, 1) * 100
        elif word.startswith("vingt") and current % 100 == 4:  # quatre-vingt
            current += 76
        elif word != "et":
            current += _TENS.get(word) or _UNITS[word]
    return total + current if any(word != "et" for word in words) else None


def spelled_digits(folded: str) -> str:
    """`folded` with numbers written in words written in digits."""

    def digits(match: re.Match[str]) -> str:
        words = re.split(r"[\s\-]+", match.group())
        value = _number(words)
        return match.group() if value is None else str(value)

    return _SPELLED.sub(digits, folded)


# « 54 ans », « âgé de 54 ans », « 3 mois » (a baby): an age makes a person identifiable with the rest.
AGE = re.compile(r"\b(?:age|agee|ages)?\s*(?:de\s+)?\d{1,3}\s*(?:ans|mois)\b")


def has_birth_date(folded: str) -> bool:
    """True when a date of birth is written as one (« né le … », « date de naissance : … »)."""
    if _BIRTH.search(folded) is not None:
        return True
    for gate in _SPELLED_GATES:
        start = folded.find(gate)
        while start >= 0:
            if (not start or not folded[start - 1].isalnum()) and _SPELLED_BIRTH.match(folded, start):
                if _BIRTH.match(spelled_digits(folded[start : start + _SPELLED_DATE_CHARS])):
                    return True
            start = folded.find(gate, start + 1)
    return False


def old_dates(folded: str, before_year: int) -> list[int]:
    """Offsets of dates whose year is before `before_year` (too old to be a meeting: maybe a birth)."""
    offsets = []
    for match in _DATE.finditer(folded):
        years = re.findall(r"(?:1[89]|20)\d\d", match.group())
        if years and int(years[-1]) < before_year:
            offsets.append(match.start())
    return offsets
