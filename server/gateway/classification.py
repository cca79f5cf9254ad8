"""Classification of what a request carries: detectors that raise its data class, never lower it.

The detectors look for French identifiers and health context. They report kinds of findings only,
never the matched text, so that a decision can be recorded and traced without copying the data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from server.gateway.policy import DataClass, most_sensitive


class Finding(StrEnum):
    """What a detector saw."""

    NIR = "nir"
    PATIENT_ID = "patient_id"
    BIRTH_DATE_WITH_NAME = "birth_date_with_name"
    PERSON = "person"
    HEALTH_TERMS = "health_terms"


FINDING_LABELS = {
    Finding.NIR: "numéro de sécurité sociale",
    Finding.PATIENT_ID: "identifiant de patient",
    Finding.BIRTH_DATE_WITH_NAME: "date de naissance associée à un nom",
    Finding.PERSON: "personne nommée",
    Finding.HEALTH_TERMS: "vocabulaire médical",
}


@dataclass(frozen=True)
class Classification:
    """The data class of a request and why."""

    data_class: DataClass
    findings: tuple[Finding, ...] = ()

    def explain(self) -> str:
        """French list of what was detected, for error messages."""
        return ", ".join(FINDING_LABELS[finding] for finding in self.findings)


_SEP = r"[ .\-]?"
_NIR = re.compile(
    rf"(?<![0-9A-Za-z])([1-478]){_SEP}(\d{{2}}){_SEP}(0[1-9]|1[0-2]|[2-9]\d){_SEP}(\d{{2}}|2[AB])"
    rf"{_SEP}(\d{{3}}){_SEP}(\d{{3}}){_SEP}(\d{{2}})(?![0-9A-Za-z])",
    re.IGNORECASE,
)
_PATIENT_ID = re.compile(
    r"\b(?:IPP|NDA|NIP|n(?:°|o|um(?:ero|éro)?)\.?\s*(?:de\s+)?(?:dossier|s[ée]jour|patient))"
    r"\s*(?:n°|no|num[ée]ro)?\s*[:#=]?\s*\d{6,12}\b",
    re.IGNORECASE,
)
_DATE = r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d{2}|\d{1,2}(?:er)?\s+[a-zéû]+\s+(?:19|20)\d{2})"
_BIRTH_KEYWORD = re.compile(rf"\b(?:n[ée]e?\s+le|date\s+de\s+naissance|DDN)\s*:?\s*{_DATE}", re.IGNORECASE)
_PERSON = re.compile(r"\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Dr|Pr)\s+[A-ZÉÈ][\w\-éèëï]+")
_DATE_ONLY = re.compile(_DATE, re.IGNORECASE)
_NEAR = 80

# Accent-free, lower-case stems; a term counts once however often it appears.
_HEALTH_TERMS = re.compile(
    r"\b(?:diagnostic|patholog|cancer|tumeur|metasta|chimiotherap|radiotherap|diabet|hypertension|"
    r"insuffisance (?:cardiaque|renale|respiratoire)|vih|seropositi|hepatite|depressi|psychiatr|"
    r"schizophren|bipolaire|addiction|alcoolisme|grossesse|ivg|ordonnance|posologie|antecedents|"
    r"hospitalis|compte[ -]rendu (?:operatoire|d'hospitalisation|medical)|biopsie|irm|allergi|"
    r"affection de longue duree|ald|chirurgi|anesthesi|symptome|avc|infarctus|alzheimer|parkinson|"
    r"epileps|dialyse|transplant|soins palliatifs|traitement medical|prescription|hba1c|glycemie)",
)


def classify(texts: Iterable[str], declared: DataClass) -> Classification:
    """The most sensitive of `declared` and what the detectors find in `texts`."""
    findings: set[Finding] = set()
    for text in texts:
        if text:
            findings |= _detect(text)
    raised = [declared]
    person = findings & {Finding.NIR, Finding.PATIENT_ID, Finding.BIRTH_DATE_WITH_NAME, Finding.PERSON}
    if findings & {Finding.NIR, Finding.PATIENT_ID}:
        raised.append(DataClass.HEALTH)
    if Finding.HEALTH_TERMS in findings and person:
        raised.append(DataClass.HEALTH)
    if Finding.BIRTH_DATE_WITH_NAME in findings:
        raised.append(DataClass.PERSONAL)
    ordered = tuple(finding for finding in Finding if finding in findings)
    return Classification(most_sensitive(*raised), ordered)


def _detect(text: str) -> set[Finding]:
    found: set[Finding] = set()
    if any(nir_key_is_valid(match) for match in _NIR.finditer(text)):
        found.add(Finding.NIR)
    if _PATIENT_ID.search(text):
        found.add(Finding.PATIENT_ID)
    persons = list(_PERSON.finditer(text))
    if persons:
        found.add(Finding.PERSON)
    if _BIRTH_KEYWORD.search(text) or _date_near_person(text, persons):
        found.add(Finding.BIRTH_DATE_WITH_NAME)
    if _HEALTH_TERMS.search(_fold(text)):
        found.add(Finding.HEALTH_TERMS)
    return found


def _date_near_person(text: str, persons: list[re.Match[str]]) -> bool:
    if not persons:
        return False
    for date in _DATE_ONLY.finditer(text):
        if any(abs(date.start() - person.end()) <= _NEAR for person in persons):
            return True
    return False


def nir_key_is_valid(match: re.Match[str]) -> bool:
    """True when the two last digits are the NIR's key: 97 - (number mod 97), Corsica handled."""
    sex, year, month, department, commune, order, key = match.groups()
    # Corsica: 2A counts as 19 and 2B as 18 when computing the key.
    department = {"2A": "19", "2B": "18"}.get(department.upper(), department)
    number = int(f"{sex}{year}{month}{department}{commune}{order}")
    return 97 - number % 97 == int(key)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
