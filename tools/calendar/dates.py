"""French date expressions (« jeudi dernier », « la semaine dernière », « le 19 juin ») as date ranges."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tools.doctext.folding import fold
from tools.m365.events import PARIS

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = [
    "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
]  # fmt: skip
_NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8}
_HALF_YEAR = timedelta(days=183)


class DateExpressionError(ValueError):
    """The expression is not a date this parser understands."""


@dataclass(frozen=True)
class DateRange:
    """Whole days, `first` to `last` included."""

    first: date
    last: date

    def bounds(self) -> tuple[datetime, datetime]:
        """[start of first day, start of the day after last) in Europe/Paris."""
        start = datetime.combine(self.first, datetime.min.time(), PARIS)
        return start, datetime.combine(self.last + timedelta(days=1), datetime.min.time(), PARIS)


def resolve_date(expression: str, now: datetime) -> DateRange:
    """The days an expression designates, relative to `now`.

    Raises:
        DateExpressionError: when the expression is not understood.
    """
    text = re.sub(r"\s+", " ", fold(expression).replace("\u2019", "'")).strip(" .,")
    today = now.astimezone(PARIS).date()
    for pattern, rule in _RULES:
        match = pattern.fullmatch(text)
        if match:
            return rule(match, today)
    raise DateExpressionError(expression)


def _day(day: date) -> DateRange:
    return DateRange(day, day)


def _relative_day(match: re.Match[str], today: date) -> DateRange:
    offsets = {"aujourd'hui": 0, "hier": -1, "avant-hier": -2, "demain": 1, "apres-demain": 2}
    return _day(today + timedelta(days=offsets[match.group(1)]))


def _weekday(match: re.Match[str], today: date) -> DateRange:
    wanted = WEEKDAYS.index(match.group(1))
    which = match.group(2)
    if which == "prochain":
        ahead = (wanted - today.weekday()) % 7 or 7
        return _day(today + timedelta(days=ahead))
    back = (today.weekday() - wanted) % 7
    if which == "dernier" and back == 0:
        back = 7  # « jeudi dernier » said on a Thursday is a week ago
    return _day(today - timedelta(days=back))


def _week(match: re.Match[str], today: date) -> DateRange:
    word = match.group(1) or match.group(2) or match.group(3)
    shift = {"cette": 0, "derniere": -1, "passee": -1, "prochaine": 1}[word]
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
    return DateRange(monday, monday + timedelta(days=6))


def _month_range(year: int, month: int) -> DateRange:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return DateRange(first, following - timedelta(days=1))


def _relative_month(match: re.Match[str], today: date) -> DateRange:
    shift = {"ce": 0, "dernier": -1, "passe": -1, "prochain": 1}[match.group(1) or match.group(2)]
    index = today.year * 12 + today.month - 1 + shift
    return _month_range(index // 12, index % 12 + 1)


def _ago(match: re.Match[str], today: date) -> DateRange:
    count = int(match.group(1)) if match.group(1).isdigit() else _NUMBERS[match.group(1)]
    unit = match.group(2)
    if unit.startswith("jour"):
        return _day(today - timedelta(days=count))
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=count)
    return DateRange(monday, monday + timedelta(days=6))


def _nearest_year(today: date, month: int, day: int) -> date:
    # Without a year, the occurrence closest to today, leaning to the past (meetings are looked up
    # after they happen): more than half a year ahead means last year's.
    candidate = date(today.year, month, day)
    return date(today.year - 1, month, day) if candidate - today > _HALF_YEAR else candidate


def _day_month(match: re.Match[str], today: date) -> DateRange:
    day = 1 if match.group(1) == "1er" else int(match.group(1))
    month = MONTHS.index(match.group(2)) + 1
    try:
        if match.group(3):
            return _day(date(int(match.group(3)), month, day))
        return _day(_nearest_year(today, month, day))
    except ValueError:
        raise DateExpressionError(match.group(0)) from None


def _numeric(match: re.Match[str], today: date) -> DateRange:
    day, month = int(match.group(1)), int(match.group(2))
    year = match.group(3)
    try:
        if year:
            return _day(date(int(year) + (2000 if len(year) == 2 else 0), month, day))
        return _day(_nearest_year(today, month, day))
    except ValueError:
        raise DateExpressionError(match.group(0)) from None


def _iso(match: re.Match[str], today: date) -> DateRange:
    try:
        return _day(date.fromisoformat(match.group(1)))
    except ValueError:
        raise DateExpressionError(match.group(0)) from None


def _month_name(match: re.Match[str], today: date) -> DateRange:
    month = MONTHS.index(match.group(1)) + 1
    if match.group(2):
        return _month_range(int(match.group(2)), month)
    year = today.year if date(today.year, month, 1) - today <= _HALF_YEAR else today.year - 1
    return _month_range(year, month)


_WEEKDAY = "|".join(WEEKDAYS)
_MONTH = "|".join(MONTHS)
_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str], date], DateRange]]] = [
    (re.compile(r"(aujourd'hui|hier|avant-hier|demain|apres-demain)"), _relative_day),
    (re.compile(rf"(?:le |ce )?({_WEEKDAY})(?: (dernier|passe|prochain))?"), _weekday),
    (
        re.compile(
            r"(?:(cette) semaine|la semaine (derniere|passee|prochaine)|semaine (derniere|passee|prochaine))"
        ),
        _week,
    ),
    (re.compile(r"(?:(ce) mois(?:-ci)?|le mois (dernier|passe|prochain))"), _relative_month),
    (re.compile(r"il y a (\d+|un|une|deux|trois|quatre|cinq|six|sept|huit) (jours?|semaines?)"), _ago),
    (re.compile(rf"(?:le |du )?(1er|\d{{1,2}}) ({_MONTH})(?: (\d{{4}}))?"), _day_month),
    (re.compile(r"(?:le )?(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?"), _numeric),
    (re.compile(r"(\d{4}-\d{2}-\d{2})(?:t.*)?"), _iso),
    (re.compile(rf"(?:en )?({_MONTH})(?: (\d{{4}}))?"), _month_name),
]
