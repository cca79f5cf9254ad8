"""French date expressions resolve against the caller's clock."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tools.calendar.dates import DateExpressionError, DateRange, resolve_date
from tools.m365.events import PARIS

THURSDAY = datetime(2025, 6, 26, 10, 0, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("expression", "first", "last"),
    [
        ("jeudi dernier", date(2025, 6, 19), date(2025, 6, 19)),
        ("Jeudi", date(2025, 6, 26), date(2025, 6, 26)),
        ("lundi prochain", date(2025, 6, 30), date(2025, 6, 30)),
        ("hier", date(2025, 6, 25), date(2025, 6, 25)),
        ("avant-hier", date(2025, 6, 24), date(2025, 6, 24)),
        ("aujourd\u2019hui", date(2025, 6, 26), date(2025, 6, 26)),
        ("la semaine dernière", date(2025, 6, 16), date(2025, 6, 22)),
        ("cette semaine", date(2025, 6, 23), date(2025, 6, 29)),
        ("le mois dernier", date(2025, 5, 1), date(2025, 5, 31)),
        ("il y a deux semaines", date(2025, 6, 9), date(2025, 6, 15)),
        ("le 19 juin", date(2025, 6, 19), date(2025, 6, 19)),
        ("le 1er décembre", date(2025, 12, 1), date(2025, 12, 1)),
        ("le 20 janvier", date(2025, 1, 20), date(2025, 1, 20)),
        ("19 juin 2025", date(2025, 6, 19), date(2025, 6, 19)),
        ("19/06/2025", date(2025, 6, 19), date(2025, 6, 19)),
        ("2025-06-19", date(2025, 6, 19), date(2025, 6, 19)),
        ("en juin", date(2025, 6, 1), date(2025, 6, 30)),
    ],
)
def test_expression_designates_days(expression: str, first: date, last: date) -> None:
    assert resolve_date(expression, THURSDAY) == DateRange(first, last)


@pytest.mark.parametrize("expression", ["bientôt", "le 31 février", "jeudi d'avant"])
def test_unknown_expressions_are_refused(expression: str) -> None:
    with pytest.raises(DateExpressionError):
        resolve_date(expression, THURSDAY)
