"""Classification of what a request carries: detectors that raise its data class, never lower it.

The detectors (`server/gateway/detection`) look for French identifiers, dates of birth, people and
health context, in every piece of text a request would send upstream, the conversation's earlier
messages included, read together: a number or a person named in one message and what is said of
them in another count as one. Content that cannot be read (images, audio, files, unknown parts)
fails closed: it is treated as health data. Findings are kinds only, never the matched text, so that
a decision can be recorded and traced without copying the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from server.gateway.detection.dates import has_birth_date, old_dates
from server.gateway.detection.identifiers import digit_chains, has_nir, has_patient_id
from server.gateway.detection.normalise import Views
from server.gateway.detection.people import NameBook, weak
from server.gateway.detection.vocabulary import has_health_terms, vocabulary
from server.gateway.policy import DataClass, most_sensitive


class Finding(StrEnum):
    """What a detector saw."""

    NIR = "nir"
    PATIENT_ID = "patient_id"
    BIRTH_DATE_WITH_NAME = "birth_date_with_name"
    PERSON = "person"
    HEALTH_TERMS = "health_terms"
    HEALTH_ABOUT_PERSON = "health_about_person"
    UNREADABLE = "unreadable_content"


FINDING_LABELS = {
    Finding.NIR: "numéro de sécurité sociale",
    Finding.PATIENT_ID: "identifiant de patient",
    Finding.BIRTH_DATE_WITH_NAME: "date de naissance associée à un nom",
    Finding.PERSON: "personne nommée",
    Finding.HEALTH_TERMS: "vocabulaire médical",
    Finding.HEALTH_ABOUT_PERSON: "état de santé d'une personne",
    Finding.UNREADABLE: "contenu non analysable (image, son, fichier)",
}
_BIRTH_YEARS_BEFORE = 10  # a date more than this many years ago, next to a person, may be a birth date
_SHORT = 1500  # characters: a request this short is read as one window
_WINDOW = 3  # sentences read together in a longer one
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_DEFAULT_BOOK = NameBook()


@dataclass(frozen=True)
class Classification:
    """The data class of a request and why."""

    data_class: DataClass
    findings: tuple[Finding, ...] = ()

    def explain(self) -> str:
        """French list of what was detected, for error messages."""
        return ", ".join(FINDING_LABELS[finding] for finding in self.findings)


def classify(
    texts: Iterable[str],
    declared: DataClass,
    *,
    names: NameBook | None = None,
    unreadable: bool = False,
    now: datetime | None = None,
) -> Classification:
    """The most sensitive of `declared` and what the detectors find in `texts` (read together).

    `unreadable`: the request holds content no detector can read (it is then health data).
    """
    findings = _detect([Views(text) for text in texts if text], names or _DEFAULT_BOOK, now)
    if unreadable:
        findings.add(Finding.UNREADABLE)
    raised = [declared]
    if findings & {Finding.NIR, Finding.PATIENT_ID, Finding.UNREADABLE}:
        raised.append(DataClass.HEALTH)
    if Finding.HEALTH_ABOUT_PERSON in findings:
        raised.append(DataClass.HEALTH)
    if Finding.BIRTH_DATE_WITH_NAME in findings:
        raised.append(DataClass.PERSONAL)
    ordered = tuple(finding for finding in Finding if finding in findings)
    return Classification(most_sensitive(*raised), ordered)


def _detect(pieces: list[Views], book: NameBook, now: datetime | None) -> set[Finding]:
    found: set[Finding] = set()
    if has_nir([digit_chains(views.visible) for views in pieces]):
        found.add(Finding.NIR)
    health = strong = False
    for views in pieces:
        if has_patient_id(views.folded):
            found.add(Finding.PATIENT_ID)
        if has_birth_date(views.folded):
            found.add(Finding.BIRTH_DATE_WITH_NAME)
        health = health or has_health_terms(views.folded, views.unleeted)
        strong = strong or book.strong(views)
    if health:
        found.add(Finding.HEALTH_TERMS)
    if strong:
        found.add(Finding.PERSON)
    before = (now or datetime.now(UTC)).year - _BIRTH_YEARS_BEFORE
    if health or any(old_dates(views.folded, before) for views in pieces):
        short = sum(len(views.raw) for views in pieces) <= _SHORT
        for window in _windows(pieces, short, before):
            _weigh(window, book, before, found, short)
    return found


def _weigh(window: Views, book: NameBook, before: int, found: set[Finding], short: bool) -> None:
    """Findings of one window: someone named or designated next to what concerns them."""
    is_health = has_health_terms(window.folded, window.unleeted)
    dated = bool(old_dates(window.folded, before))
    if not (is_health or dated):
        return
    words = vocabulary()
    person = book.strong(window) or weak(window, book, lambda text: words.found_in(text), short=short)
    if person and is_health:
        found.add(Finding.HEALTH_ABOUT_PERSON)
    if person and dated:
        found.add(Finding.BIRTH_DATE_WITH_NAME)


def _windows(pieces: list[Views], short: bool, before: int) -> Iterator[Views]:
    """A short request (a chat conversation) as a whole; a long one, three sentences at a time.

    A person named in a message and what is said of them two messages later count together; in a
    transcript or a regulation, the speakers' names and a health word twenty minutes apart do not.
    Only the windows around a sentence with a health term or an old date are read.
    """
    if short:
        yield Views("\n".join(views.raw for views in pieces))
        return
    sentences: list[str] = []
    marked: list[bool] = []
    for views in pieces:
        parts = _SENTENCE.split(views.visible)
        sentences += parts
        marked += _marks(views, parts, before)
    for start in range(max(1, len(sentences) - _WINDOW + 1)):
        if any(marked[start : start + _WINDOW]):
            yield Views(" ".join(sentences[start : start + _WINDOW]))


def _marks(views: Views, parts: list[str], before: int) -> list[bool]:
    """Which sentences hold a health term or an old date, read on the whole text's folded views.

    Folding keeps the sentences' ends, so its sentences line up with `parts`; when they do not (an
    unusual text), each sentence is folded on its own.
    """
    words = vocabulary()
    folded = _SENTENCE.split(views.folded)
    unleeted = folded if views.unleeted is views.folded else _SENTENCE.split(views.unleeted)
    if len(folded) != len(parts) or len(unleeted) != len(parts):
        return [_worth_reading(Views(part), before) for part in parts]
    dated = bool(old_dates(views.folded, before))  # most texts hold none: no search per sentence
    return [
        bool(plain.strip())
        and (words.found_in(plain) or words.found_in(leet) or (dated and bool(old_dates(plain, before))))
        for plain, leet in zip(folded, unleeted, strict=True)
    ]


def _worth_reading(sentence: Views, before: int) -> bool:
    return has_health_terms(sentence.folded, sentence.unleeted) or bool(old_dates(sentence.folded, before))
