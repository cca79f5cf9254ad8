"""Match a structured document to a patient of the DPI and to the stay whose dates cover it.

A patient is sure when two independent identifiers agree (IPP with name or birth date, or birth date
with name); a close second candidate, no candidate, or a printed IPP that contradicts the name makes
the document an exception for a person to settle. The stay is the one covering the care dates (a
discharge letter's « hospitalisation du … au … », a sample's day, a visit's day).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from difflib import SequenceMatcher
from typing import Any

from server.intake.schemas import Candidate, Field, Match, Stay
from server.intake.structure import plain
from server.messages import MESSAGES
from tools.i18n import DEFAULT_LANGUAGE, Language

REASONS = (
    "intake.reason.name",
    "intake.reason.ipp_same",
    "intake.reason.birth_same",
    "intake.reason.ipp_differs",
    "intake.reason.search",
)
AMBIGUITY_MARGIN = 0.15
LETTER_DELAY_DAYS = 15  # a discharge letter is written within about two weeks of the discharge


def name_key(text: str) -> str:
    """A name compared without accents, case, hyphens or apostrophes."""
    return re.sub(r"[^a-z ]+", " ", plain(text)).strip().replace("  ", " ")


def similarity(left: str, right: str) -> float:
    """0–1 likeness of two names, word order ignored."""
    a, b = name_key(left), name_key(right)
    if not a or not b:
        return 0.0
    straight = SequenceMatcher(None, a, b).ratio()
    sorted_words = SequenceMatcher(None, " ".join(sorted(a.split())), " ".join(sorted(b.split()))).ratio()
    return max(straight, sorted_words)


def _value(fields: dict[str, Field], name: str) -> str | None:
    field = fields.get(name)
    return field.value if field else None


def _patient_score(fields: dict[str, Field], patient: dict[str, Any]) -> tuple[float, list[str]]:
    """How sure we are that the document is about `patient`, and the evidence."""
    last, first = _value(fields, "nom") or "", _value(fields, "prenom") or ""
    names = [patient["nom"]] + ([patient["nom_naissance"]] if patient.get("nom_naissance") else [])
    last_sim = max(similarity(last, name) for name in names) if last else 0.0
    birth_name = _value(fields, "nom_naissance")
    if birth_name and patient.get("nom_naissance"):
        last_sim = max(last_sim, similarity(birth_name, patient["nom_naissance"]))
    first_sim = similarity(first, patient["prenom"]) if first else 0.0
    name = (last_sim + first_sim) / 2
    ipp = _value(fields, "ipp")
    birth = _value(fields, "date_naissance")
    ipp_same, birth_same = (
        bool(ipp and ipp == patient["ipp"]),
        bool(birth and birth == patient["date_naissance"]),
    )
    reasons = (
        [_reason("intake.reason.name", score=f"{name:.2f}")]
        + ([_reason("intake.reason.ipp_same")] if ipp_same else [])
        + ([_reason("intake.reason.birth_same")] if birth_same else [])
    )
    if ipp and not ipp_same:
        reasons.append(_reason("intake.reason.ipp_differs"))
    if ipp_same and (birth_same or name >= 0.85):
        score = 0.99
    elif ipp_same:
        score = 0.5  # the printed IPP contradicts the name and birth date: a person must look
    elif birth_same and name >= 0.9:
        score = 0.95 if not ipp else 0.7
    elif birth_same and name >= 0.75:
        score = 0.75
    elif name >= 0.9:
        score = 0.55
    else:
        score = 0.3 * name
    return score, reasons


def _days(fields: dict[str, Field]) -> tuple[date | None, date | None, date | None]:
    def day(name: str) -> date | None:
        value = _value(fields, name)
        return date.fromisoformat(value) if value else None

    return day("debut_soins"), day("fin_soins"), day("date")


def stay_scores(fields: dict[str, Field], stays: list[dict[str, Any]]) -> dict[str, float]:
    """For each stay, how well its dates fit the document's care dates (0 when not at all)."""
    start, end, written = _days(fields)
    printed = _value(fields, "nda")
    scores = {}
    for stay in stays:
        first, last = date.fromisoformat(stay["start"]), date.fromisoformat(stay["end"])
        if printed and printed == stay["nda"]:
            scores[stay["nda"]] = 0.99
        elif start and end and start != end:
            scores[stay["nda"]] = (
                0.97 if (start, end) == (first, last) else (0.6 if start <= last and end >= first else 0.0)
            )
        elif start:
            scores[stay["nda"]] = 0.95 if first <= start <= last else 0.0
        elif written and first <= written <= last + timedelta(days=LETTER_DELAY_DAYS):
            scores[stay["nda"]] = 0.7
        else:
            scores[stay["nda"]] = 0.0
    return scores


def match(fields: dict[str, Field], patients: list[dict[str, Any]]) -> Match:
    """The best patient and stay among the DPI's `patients`, or the exception that stops it."""
    candidates = []
    for patient in patients:
        score, reasons = _patient_score(fields, patient)
        if score < 0.2:
            continue
        stays = stay_scores(fields, patient["stays"])
        candidates.append(
            Candidate(
                ipp=patient["ipp"],
                nom=patient["nom"],
                prenom=patient["prenom"],
                nom_naissance=patient.get("nom_naissance"),
                date_naissance=patient["date_naissance"],
                confidence=round(score, 3),
                reasons=reasons,
                stays=[Stay(**stay) for stay in patient["stays"]],
                stay_confidence=stays,
            )
        )
    candidates.sort(key=lambda candidate: -candidate.confidence)
    if not candidates or candidates[0].confidence < 0.6:  # a name alone never identifies a patient
        return Match(
            candidates=candidates[:5],
            exception="unknown_patient",
            detail=_exception("unknown_patient"),
        )
    best = candidates[0]
    if len(candidates) > 1 and candidates[1].confidence > best.confidence - AMBIGUITY_MARGIN:
        return Match(
            candidates=candidates[:5],
            ipp=best.ipp,
            confidence=round(best.confidence / 2, 3),
            exception="several_patients",
            detail=_exception("several_patients"),
        )
    fitting = sorted(((score, nda) for nda, score in best.stay_confidence.items() if score > 0), reverse=True)
    if not fitting:
        return Match(
            candidates=candidates[:5],
            ipp=best.ipp,
            confidence=0.0,
            exception="no_stay",
            detail=_exception("no_stay"),
        )
    if len(fitting) > 1 and fitting[1][0] > fitting[0][0] - AMBIGUITY_MARGIN:
        return Match(
            candidates=candidates[:5],
            ipp=best.ipp,
            confidence=0.0,
            exception="several_stays",
            detail=_exception("several_stays"),
        )
    score, nda = fitting[0]
    return Match(
        candidates=candidates[:5], ipp=best.ipp, nda=nda, confidence=round(min(best.confidence, score), 3)
    )


# A match is stored in French (the previous release shows it as it is): its reasons are texts of a
# closed set, recognised again, and its detail follows from its exception's code; both are shown in
# the reader's language.


def _reason(key: str, **params: object) -> str:
    return MESSAGES.text(key, DEFAULT_LANGUAGE, **params)


def _exception(code: str) -> str:
    return MESSAGES.text(f"intake.exception.{code}", DEFAULT_LANGUAGE)


def reason_shown(reason: str, language: Language) -> str:
    """A candidate's stored reason in `language` (as stored when it is not one of ours)."""
    text = MESSAGES.recognise(reason, REASONS)
    return text.render(language) if text is not None else reason


def match_shown(stored: dict[str, Any], language: Language) -> Match:
    """A stored match in the reader's language: its exception's detail and its candidates' reasons."""
    found = Match.model_validate(stored)
    key = f"intake.exception.{found.exception}"
    return found.model_copy(
        update={
            "detail": MESSAGES.text(key, language) if key in MESSAGES.entries else found.detail,
            "candidates": [candidate_shown(candidate, language) for candidate in found.candidates],
        }
    )


def candidate_shown(candidate: Candidate, language: Language) -> Candidate:
    """A candidate with its reasons in `language`."""
    return candidate.model_copy(update={"reasons": [reason_shown(r, language) for r in candidate.reasons]})
