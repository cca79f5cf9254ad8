"""Reading a robot's inputs from a French request without a model: months, dates, accounts, choices."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from agents.folding import fold

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b(?:\s+(20\d\d))?")
_ISO_MONTH = re.compile(r"\b(20\d\d)-(0[1-9]|1[0-2])\b")
_ISO_DATE = re.compile(r"\b(20\d\d-\d\d-\d\d)\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:er)? (" + "|".join(MONTHS) + r")\b(?:\s+(20\d\d))?")
_EMAIL = re.compile(r"\b([a-z0-9._-]+)@([a-z0-9.-]+\.[a-z]{2,})\b")
_DOTTED_NAME = re.compile(r"\b([a-z]+(?:-[a-z]+)?\.[a-z]+(?:-[a-z]+)?)\b")
# « pour Inès Moreau »: a first and last name after « pour », as the directory spells addresses.
_FOR_PERSON = re.compile(
    r"\bpour\s+(?!le\b|la\b|les\b|un\b|une\b)([a-z]+(?:-[a-z]+)?)\s+([a-z]+(?:-[a-z]+)?)\b"
)
_PROFILE = re.compile(r"\bprofil\s+(?:de\s+|d')?([\w' -]+?)(?=\s+(?:pour|sur|dans|car|motif)\b|\s*[,.;?!]|$)")
_REASON = re.compile(r"\b(?:motif|car|parce que)\s*:?\s*(.+)$")


def tenant_domain(caller_email: str) -> str:
    """The mail domain a bare name (« jean.martin ») completes with: the caller's own organisation's.

    The person a staff member names is a colleague; their tenant's domain comes from the signed-in
    identity, so the same agent serves any hospital without a domain written in the code.
    """
    return caller_email.rpartition("@")[2].strip().lower()


def read_inputs(schema: dict[str, Any], message: str, now: datetime, domain: str) -> dict[str, Any]:
    """The inputs `schema` asks for that the message gives; missing ones are left for the schema to flag."""
    folded = fold(message)
    inputs: dict[str, Any] = {}
    for name, prop in (schema.get("properties") or {}).items():
        value = _value(name, prop, folded, message, now, domain)
        if value is not None:
            inputs[name] = value
    return inputs


def _value(name: str, prop: dict[str, Any], folded: str, message: str, now: datetime, domain: str) -> Any:
    pattern = str(prop.get("pattern", ""))
    if "enum" in prop:
        return next(
            (item for item in prop["enum"] if re.search(rf"\b{re.escape(fold(str(item)))}\b", folded)), None
        )
    if prop.get("format") == "date":
        return _day(folded, now.date()).isoformat()
    if "(0[1-9]|1[0-2])$" in pattern:
        return _month(folded, now.date())
    if "@" in pattern:
        return _account(message.lower(), domain)
    if name == "profil":
        return _as_typed(_PROFILE, message)
    if name == "motif":
        found = _REASON.search(message.strip())
        return found.group(1).strip() if found else None
    return None


def _as_typed(pattern: re.Pattern[str], message: str) -> str | None:
    """Group 1 of `pattern` found in the folded message, returned as the user typed it (accents kept)."""
    folded, origin = _aligned_fold(message)
    found = pattern.search(folded)
    if found is None or not found.group(1).strip():
        return None
    start, end = found.span(1)
    return message[origin[start] : origin[end - 1] + 1].strip()


def _aligned_fold(message: str) -> tuple[str, list[int]]:
    """The message folded character by character, and for each folded character its index in the message."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(message):
        for folded in fold(char) if not char.isspace() else " ":
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _month(folded: str, today: date) -> str | None:
    iso = _ISO_MONTH.search(folded)
    if iso:
        return f"{iso.group(1)}-{iso.group(2)}"
    found = _MONTH.search(folded)
    if found is None:
        if "mois dernier" in folded:
            last = today.replace(day=1) - timedelta(days=1)
            return f"{last.year}-{last.month:02d}"
        return None
    month = MONTHS[found.group(1)]
    # A month named without a year is the latest one that has begun.
    year = int(found.group(2)) if found.group(2) else (today.year if month <= today.month else today.year - 1)
    return f"{year}-{month:02d}"


def _day(folded: str, today: date) -> date:
    iso = _ISO_DATE.search(folded)
    if iso:
        try:
            return date.fromisoformat(iso.group(1))
        except ValueError:
            pass
    if "avant-hier" in folded:
        return today - timedelta(days=2)
    if re.search(r"\bhier\b", folded):
        return today - timedelta(days=1)
    if "demain" in folded:
        return today + timedelta(days=1)
    found = _DAY_MONTH.search(folded)
    if found:
        year = int(found.group(3)) if found.group(3) else today.year
        try:
            return date(year, MONTHS[found.group(2)], int(found.group(1)))
        except ValueError:
            pass
    return today  # « le rapport du jour », « aujourd'hui », or nothing said


def _account(lowered: str, domain: str) -> str | None:
    email = _EMAIL.search(lowered)
    if email:
        return f"{email.group(1)}@{email.group(2)}"
    dotted = _DOTTED_NAME.search(fold(lowered))
    if dotted:
        return f"{dotted.group(1)}@{domain}"
    named = _FOR_PERSON.search(fold(lowered))
    return f"{named.group(1)}.{named.group(2)}@{domain}" if named else None
