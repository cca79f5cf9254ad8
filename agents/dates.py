"""Dates as an answer says them, in the run's language: « jeudi 19 juin 2025 », « Thursday 19 June 2025 »."""

from __future__ import annotations

from datetime import datetime

from agents.messages import run_language
from tools.i18n import Language

_DAYS: dict[Language, tuple[str, ...]] = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS: dict[Language, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def long_date(value: str | None) -> str:
    """The day of an ISO date-time, weekday first, in the run's language (empty without a date)."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    days, months = _DAYS[run_language()], _MONTHS[run_language()]
    return f"{days[moment.weekday()]} {moment.day} {months[moment.month - 1]} {moment.year}"
