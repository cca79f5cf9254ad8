"""Classification of what a request carries: detectors that raise its data class, never lower it.

The detectors (`server/gateway/detection`) look for French identifiers, dates of birth, people and
health context, in every piece of text a request would send upstream, the conversation's earlier
messages included, read together: a number or a person named in one message and what is said of
them in another count as one. Content that cannot be read (images, audio, files, unknown parts)
fails closed: it is treated as health data. Findings are kinds only, never the matched text, so that
a decision can be recorded and traced without copying the data.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from server.gateway.detection.dates import has_birth_date, old_dates
from server.gateway.detection.identifiers import has_nir, has_nir_cut_by_words, has_patient_id, number_runs
from server.gateway.detection.normalise import Views
from server.gateway.detection.people import NameBook, weak
from server.gateway.detection.vocabulary import has_health_terms, vocabulary
from server.gateway.policy import DataClass, most_sensitive
from server.messages import MESSAGES
from tools.i18n import Text, joined


class Finding(StrEnum):
    """What a detector saw."""

    NIR = "nir"
    PATIENT_ID = "patient_id"
    BIRTH_DATE_WITH_NAME = "birth_date_with_name"
    PERSON = "person"
    HEALTH_TERMS = "health_terms"
    HEALTH_ABOUT_PERSON = "health_about_person"
    UNREADABLE = "unreadable_content"


def finding_text(finding: Finding) -> Text:
    """What a detector saw, rendered in the reader's language."""
    return MESSAGES(f"gateway.finding.{finding.value}")


_BIRTH_YEARS_BEFORE = 10  # a date more than this many years ago, next to a person, may be a birth date
_SHORT = 1500  # characters: a request this short is read as one window
_WINDOW = 3  # sentences read together in a longer one
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_DEFAULT_BOOK = NameBook()
_REMEMBERED = 512  # texts whose findings are kept (a few bytes each, keyed by a 32-byte digest)


@dataclass(frozen=True)
class Classification:
    """The data class of a request and why."""

    data_class: DataClass
    findings: tuple[Finding, ...] = ()

    def explain(self) -> str:
        """French list of what was detected."""
        return str(self.explanation())

    def explanation(self) -> Text:
        """The list of what was detected, for refusals, rendered in the reader's language."""
        return joined([finding_text(finding) for finding in self.findings])


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
    texts = [text for text in texts if text]
    findings = set(_FINDINGS.of(texts, names or _DEFAULT_BOOK, now))
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


class _Findings:
    """What the detectors found in texts read together, remembered for the last texts read.

    The same texts come back turn after turn (a meeting's transcript returned to every run that
    summarises it, a long prompt re-sent with each follow-up): reading 70 kB again costs tens of
    milliseconds of CPU. The findings depend on the texts, the name book and the year only, so they
    are kept (bounded, least recently used first out) under a digest of the three.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[tuple[bytes, int, bytes], frozenset[Finding]] = OrderedDict()
        self._lock = threading.Lock()  # the gateway classifies in worker threads too

    def of(self, texts: list[str], book: NameBook, now: datetime | None) -> frozenset[Finding]:
        year = (now or datetime.now(UTC)).year
        hashed = hashlib.sha256()
        for text in texts:
            hashed.update(len(text).to_bytes(8, "little"))
            hashed.update(text.encode("utf-8", "surrogatepass"))
        key = (hashed.digest(), year, book.digest)
        with self._lock:
            if (found := self._kept.get(key)) is not None:
                self._kept.move_to_end(key)
                return found
        transcript = sum(len(text) for text in texts) > _SHORT  # a chat's labels are read like its text
        found = frozenset(_detect([Views(text, transcript) for text in texts], book, now))
        with self._lock:
            self._kept[key] = found
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return found

    def clear(self) -> None:
        """Forget every finding kept (the detectors' rules changed, in tests and benchmarks)."""
        with self._lock:
            self._kept.clear()


_FINDINGS = _Findings(_REMEMBERED)


def forget_findings() -> None:
    """Forget the findings kept for texts read before (a benchmark measuring a first reading)."""
    _FINDINGS.clear()


def _detect(pieces: list[Views], book: NameBook, now: datetime | None) -> set[Finding]:
    found: set[Finding] = set()
    runs = [number_runs(views.visible) for views in pieces]
    if has_nir(runs) or any(
        has_nir_cut_by_words(piece, views.folded, views.visible)
        for piece, views in zip(runs, pieces, strict=True)
    ):
        found.add(Finding.NIR)
    health = strong = False
    for views in pieces:
        if has_patient_id(views.folded) or (views.table and has_patient_id(views.table)):
            found.add(Finding.PATIENT_ID)
        if has_birth_date(views.folded) or (views.table and has_birth_date(views.table)):
            found.add(Finding.BIRTH_DATE_WITH_NAME)
        health = health or has_health_terms(views.folded, views.unleeted)
        strong = strong or book.strong(views)
    if health:
        found.add(Finding.HEALTH_TERMS)
    if strong:
        found.add(Finding.PERSON)
    before = (now or datetime.now(UTC)).year - _BIRTH_YEARS_BEFORE
    dated = any(old_dates(views.folded, before) for views in pieces)
    if health or dated:
        short = sum(len(views.raw) for views in pieces) <= _SHORT
        for window in _windows(pieces, short, before if dated else None):
            _weigh(window, book, before if dated else None, found, short)
    return found


def _weigh(window: Views, book: NameBook, before: int | None, found: set[Finding], short: bool) -> None:
    """Findings of one window: someone named or designated next to what concerns them.

    `before`: the year old dates are before, `None` when the request holds none (most hold none:
    no search per window).
    """
    is_health = has_health_terms(window.folded, window.unleeted)
    dated = before is not None and bool(old_dates(window.folded, before))
    if not (is_health or dated):
        return
    words = vocabulary()
    person = book.strong(window) or weak(window, book, lambda text: words.found_in(text), short=short)
    if person and is_health:
        found.add(Finding.HEALTH_ABOUT_PERSON)
    if person and dated:
        found.add(Finding.BIRTH_DATE_WITH_NAME)


def _windows(pieces: list[Views], short: bool, before: int | None) -> Iterator[Views]:
    """A short request (a chat conversation) as a whole; a long one, three sentences at a time.

    A person named in a message and what is said of them two messages later count together; in a
    transcript or a regulation, the speakers' names and a health word twenty minutes apart do not.
    Only the windows around a sentence with a health term or an old date are read.
    """
    if short:
        yield Views("\n".join(views.raw for views in pieces))
        return
    sentences: list[Views] = []
    marked: list[bool] = []
    for piece in pieces:
        views = piece if piece.spoken is piece.visible else Views.of_visible(piece.spoken)  # labels gone
        parts = _sentences(views)
        sentences += parts
        marked += [_worth_reading(sentence, before) for sentence in parts]
    for start in range(max(1, len(sentences) - _WINDOW + 1)):
        if any(marked[start : start + _WINDOW]):
            yield Views.joined(sentences[start : start + _WINDOW])


def _sentences(views: Views) -> list[Views]:
    """The sentences of a text, each with its folded views cut from the whole text's (folded once).

    Folding keeps the sentences' ends, so its sentences line up; when they do not (an unusual
    text), each sentence is folded on its own.
    """
    parts = _SENTENCE.split(views.visible)
    folded = _SENTENCE.split(views.folded)
    unleeted = folded if views.unleeted is views.folded else _SENTENCE.split(views.unleeted)
    if len(folded) != len(parts) or len(unleeted) != len(parts):
        return [Views.of_visible(part) for part in parts]
    return [Views.of_visible(*texts) for texts in zip(parts, folded, unleeted, strict=True)]


def _worth_reading(sentence: Views, before: int | None) -> bool:
    if not sentence.folded.strip():
        return False
    return has_health_terms(sentence.folded, sentence.unleeted) or (
        before is not None and bool(old_dates(sentence.folded, before))
    )
