"""Findings remembered for texts read again: the same answer, never one for another book or year.

A meeting's transcript comes back with every run that summarises it; its findings are kept under a
digest of the texts, the name book and the year, so that a remembered finding never answers for a
book that knows other people or a year that makes other dates old.
"""

from __future__ import annotations

from datetime import UTC, datetime

from server.gateway.classification import Finding, _Findings, classify
from server.gateway.detection.people import NameBook
from server.gateway.policy import DataClass

HOSPITALISED = "Zorglub est hospitalisé pour un cancer du poumon."
DATED = "Rendez-vous de Patrick Zorglub : 12/03/2010."


def test_a_text_read_again_gets_the_same_findings() -> None:
    first = classify([HOSPITALISED, "et rien d'autre"], DataClass.INTERNAL)
    again = classify([HOSPITALISED, "et rien d'autre"], DataClass.INTERNAL)

    assert again == first
    assert first.data_class is DataClass.HEALTH


def test_a_book_knowing_other_people_is_not_answered_by_another_book_s_findings() -> None:
    unknown = classify([HOSPITALISED], DataClass.INTERNAL)
    known = classify([HOSPITALISED], DataClass.INTERNAL, names=NameBook.of(["Albert Zorglub"]))
    unknown_again = classify([HOSPITALISED], DataClass.INTERNAL)

    assert Finding.PERSON not in unknown.findings
    assert Finding.PERSON in known.findings
    assert unknown_again == unknown


def test_a_date_old_in_one_year_and_not_in_another_is_judged_for_each_year() -> None:
    now = classify([DATED], DataClass.INTERNAL, now=datetime(2026, 6, 1, tzinfo=UTC))
    then = classify([DATED], DataClass.INTERNAL, now=datetime(2012, 6, 1, tzinfo=UTC))

    assert now.data_class is DataClass.PERSONAL
    assert then.data_class is DataClass.INTERNAL


def test_findings_are_kept_for_a_bounded_number_of_texts() -> None:
    findings = _Findings(size=2)
    book = NameBook()
    for text in ("un", "deux", "trois", "quatre"):
        findings.of([text], book, None)

    assert len(findings._kept) == 2
