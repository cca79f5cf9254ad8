"""Structure a read scan: document type, patient, birth date, IPP, date, author, each with a confidence.

Rules and layout first: labelled fields (« Patient : », « Né(e) le », « IPP : », « Prélevé le »), the
letter's place and date line, the signature after the closing formula. A field's confidence is the
rule's own (a labelled field is surer than a guess) times the OCR confidence of the words it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from server.intake.schemas import DocumentType, Field

MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
# Dates are searched in the plain text (no accents, lower case); OCR splits or bends some separators.
_NUMERIC_DATE = r"(\d\s?\d|\d)\s?[/.\-jl|]\s?(\d\s?\d|\d)\s?[/.\-jl|]\s?(\d{4})"
_LONG_DATE = r"(\d{1,2})(?:er)?\s+([a-z]+)\s+(\d{4})"
_UPPER = r"[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ][A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ'’\-]*"
_NAME_UPPER = rf"{_UPPER}(?:\s+{_UPPER})*"
_FIRST = r"[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ][a-zàâäçéèêëîïôöùûüÿ]+(?:-[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ][a-zàâäçéèêëîïôöùûüÿ]+)?"
_TYPE_KEYWORDS: dict[DocumentType, tuple[str, ...]] = {
    "biologie": ("biologie medicale", "analyses", "preleve le", "valeurs de reference", "biologiste"),
    "hospitalisation": (
        "compte rendu d'hospitalisation",
        "hospitalisation du",
        "traitement de sortie",
        "lettre de sortie",
    ),
    "consultation": ("compte rendu de consultation", "vu en consultation", "en consultation le"),
    "imagerie": ("imagerie", "radiologue", "scanner", "echographie", "irm "),
}


@dataclass(frozen=True)
class TextLine:
    """A line of a page: its text and the mean OCR confidence of its words (0–1)."""

    text: str
    confidence: float


def plain(text: str) -> str:
    """Lower case without accents, for keyword matching."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def lines_of(pages: list[dict[str, Any]]) -> list[TextLine]:
    """The pages' words grouped into lines, top to bottom, page after page."""
    result = []
    for page in pages:
        grouped: dict[str, list[list[Any]]] = {}
        for word in page["words"]:
            grouped.setdefault(word[6], []).append(word)
        ordered = sorted(
            grouped.values(), key=lambda words: (min(w[3] for w in words), min(w[2] for w in words))
        )
        for words in ordered:
            words.sort(key=lambda w: w[2])
            confidences = [max(float(w[1]), 0.0) / 100 for w in words]
            result.append(TextLine(" ".join(w[0] for w in words), sum(confidences) / len(confidences)))
    return result


def _date(day: str, month: str, year: str) -> date | None:
    day, month = day.replace(" ", ""), month.replace(" ", "")
    try:
        number = int(month) if month.isdigit() else MONTHS.get(plain(month), 0)
        return date(int(year), number, int(day))
    except ValueError:
        return None


def _found(pattern: str, lines: list[TextLine], flags: int = 0) -> tuple[re.Match[str], TextLine] | None:
    for line in lines:
        match = re.search(pattern, line.text, flags)
        if match:
            return match, line
    return None


def _dated(pattern: str, lines: list[TextLine], rule: float) -> Field | None:
    """The first date after the label `pattern` (written without accents, matched in plain text)."""
    plain_lines = [TextLine(plain(line.text), line.confidence) for line in lines]
    for form in (_NUMERIC_DATE, _LONG_DATE):
        hit = _found(pattern + form, plain_lines)
        if hit:
            match, line = hit
            day = _date(*match.groups()[-3:])
            if day is not None:
                return Field(value=day.isoformat(), confidence=round(rule * line.confidence, 3))
    return None


def document_type(lines: list[TextLine]) -> Field:
    """The type whose keywords the text holds most; `autre` when none."""
    text = plain(" ".join(line.text for line in lines))
    scores = {kind: sum(word in text for word in words) for kind, words in _TYPE_KEYWORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top == 0:
        return Field(value="autre", confidence=0.3)
    margin = (top - second) / top
    return Field(value=best, confidence=round(min(0.99, 0.6 + 0.1 * top) * (0.5 + 0.5 * margin), 3))


def _name_fields(lines: list[TextLine]) -> dict[str, Field]:
    civil = r"(?:Monsieur|Madame|M\.|Mme)\s+"
    birth_name = rf"(?:\s+(?:née|épouse)\s+(?P<birth>{_NAME_UPPER}))?"
    label = r"[Pp]atient(?:e)?\s*:\s*"
    first_last = rf"(?P<first>{_FIRST})\s+(?P<last>{_NAME_UPPER}){birth_name}"
    last_first = rf"(?P<last>{_NAME_UPPER})\s+(?P<first>{_FIRST}){birth_name}"
    patterns = [
        (rf"{label}{civil}{first_last}", 0.95),
        (rf"{label}{civil}{last_first}", 0.95),
        (rf"{label}{last_first}", 0.95),
        (rf"{civil}{first_last}\s*(?:,|née?\s+le)", 0.9),
        (rf"{civil}{last_first}\s*(?:,|née?\s+le)", 0.9),
    ]
    for pattern, rule in patterns:
        hit = _found(pattern, lines)
        if hit:
            match, line = hit
            confidence = round(rule * line.confidence, 3)
            last = re.sub(r"\s+", " ", match["last"]).strip(" -'")
            fields = {
                "nom": Field(value=last, confidence=confidence),
                "prenom": Field(value=match["first"], confidence=confidence),
            }
            if match.groupdict().get("birth"):
                fields["nom_naissance"] = Field(value=match["birth"].strip(), confidence=confidence)
            return fields
    return {}


def _ipp(lines: list[TextLine]) -> Field | None:
    hit = _found(r"(?:\b[I1l|]PP|^PP)\s*[:.]*\s*([0-9OoIl]{7})\b", lines)
    if hit is None:
        return None
    match, line = hit
    digits = match.group(1).translate(str.maketrans("OoIl", "0011"))
    return Field(value=digits, confidence=round(0.97 * line.confidence, 3))


def _stay_number(lines: list[TextLine]) -> Field | None:
    hit = _found(r"séjour\s*:?\s*[S5]\s?(\d{8})\b", lines, re.IGNORECASE)
    if hit is None:
        return None
    match, line = hit
    return Field(value=f"S{match.group(1)}", confidence=round(0.97 * line.confidence, 3))


def _author(kind: str, lines: list[TextLine]) -> Field | None:
    if kind == "biologie":
        hit = _found(r"(Laboratoire\b[^—:]{3,80})", lines[:4])
        if hit:
            match, line = hit
            return Field(value=match.group(1).strip(), confidence=round(0.9 * line.confidence, 3))
    doctor = r"((?:Dr|Pr|Docteur|Professeur)\.?\s+" + _FIRST + r"\s+" + _FIRST.replace("a-z", "a-zA-Z") + r")"
    closing = [
        i for i, line in enumerate(lines) if re.search(r"(confraternel|cordialement|Validé par)", line.text)
    ]
    for index in closing:
        for line in lines[index : index + 2]:
            signed = re.search(doctor, line.text)
            if signed:
                return Field(value=signed.group(1), confidence=round(0.92 * line.confidence, 3))
    hit = _found(doctor + r"\s*,\s*radiologue", lines) or _found(doctor, lines[:5])
    if hit:
        match, line = hit
        return Field(value=match.group(1), confidence=round(0.75 * line.confidence, 3))
    return None


def _care_period(kind: str, lines: list[TextLine], document_date: Field | None) -> dict[str, Field]:
    """When care took place: the stay's dates on a discharge letter, the day of a sample or a visit."""
    plain_lines = [TextLine(plain(line.text), line.confidence) for line in lines]
    hit = _found(rf"hospitalisation\s+du\s+{_NUMERIC_DATE}\s+au\s+{_NUMERIC_DATE}", plain_lines)
    if hit:
        match, line = hit
        start, end = _date(*match.groups()[:3]), _date(*match.groups()[3:])
        if start and end:
            confidence = round(0.95 * line.confidence, 3)
            return {
                "debut_soins": Field(value=start.isoformat(), confidence=confidence),
                "fin_soins": Field(value=end.isoformat(), confidence=confidence),
            }
    day = _dated(r"(?:vu\w*\s+en\s+consultation\s+le|preleve\s+le|examen\s+du)\s*:?\s*", lines, 0.95)
    if day is None and document_date is not None and kind != "hospitalisation":
        day = document_date
    return {"debut_soins": day, "fin_soins": day} if day else {}


def structure(pages: list[dict[str, Any]]) -> dict[str, Field]:
    """Every field the rules find in the read pages."""
    lines = lines_of(pages)
    kind = document_type(lines)
    fields: dict[str, Field] = {"type": kind, **_name_fields(lines)}
    birth = _dated(r"(?:date\s+de\s+naissance|ne\(?e?\)?\s+le|nee?\s+le)\s*:?\s*", lines, 0.95)
    if birth:
        fields["date_naissance"] = birth
    document_date = _dated(r"(?:preleve\s+le|examen\s+du)\s*:?\s*", lines, 0.95) or _dated(
        r",\s*le[\s.]+", [line for line in lines[:8] if not re.search(r"\bnée?\b", line.text)], 0.9
    )
    if document_date:
        fields["date"] = document_date
    found = {"ipp": _ipp(lines), "nda": _stay_number(lines), "auteur": _author(kind.value, lines)}
    fields |= {name: field for name, field in found.items() if field}
    fields |= {name: field for name, field in _care_period(kind.value, lines, document_date).items() if field}
    return fields
