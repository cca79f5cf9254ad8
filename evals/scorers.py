"""Scorers of the evaluation suites: each takes a case and the run's result, returns 0..1 or None."""

from __future__ import annotations

from functools import cache
from typing import Any

from agents.citations import quote_is_in
from agents.folding import fold
from tools.meetings.vtt import parse_vtt
from tools.tenant.graph import load_content

Case = dict[str, Any]
Result = dict[str, Any]

_REFUSALS = {
    "no_access": "parmi celles auxquelles vous avez acces",
    "speaker_silent": "n'a pas pris la parole",
    "not_found": "je ne trouve pas de reunion",
    "not_transcribed": "n'a pas ete transcrite",
}


@cache
def _cues(transcript_id: str) -> dict[str, tuple[str | None, str]]:
    """Cue id → (speaker, text), read from the tenant's data files (not through the agents)."""
    vtt = load_content(None).transcripts.get(transcript_id, "")
    return {cue.id: (cue.speaker, cue.text) for cue in parse_vtt(vtt) if cue.id}


def citation_validity(case: Case, result: Result) -> float | None:
    """Share of citations whose cues exist, are the cited speaker's, and contain the quote."""
    citations = result["citations"]
    if not citations:
        return None
    valid = 0
    for citation in citations:
        cues = _cues(citation["id"])
        cited = [cues.get(cue_id) for cue_id in citation.get("cue_ids") or []]
        if cited and all(cue is not None and cue[0] == citation.get("speaker") for cue in cited):
            valid += any(cue is not None and quote_is_in(citation["quote"], cue[1]) for cue in cited)
    return valid / len(citations)


def speaker_faithfulness(case: Case, result: Result) -> float | None:
    """Share of citations spoken by the speaker the request is about."""
    if "speaker" not in case or not result["citations"]:
        return None
    return sum(c.get("speaker") == case["speaker"] for c in result["citations"]) / len(result["citations"])


def fact_coverage(case: Case, result: Result) -> float | None:
    """Share of expected facts (any of their words) found in the answer."""
    facts = case.get("facts") or []
    if not facts:
        return None
    answer = fold(result.get("answer") or "")
    return sum(any(fold(word) in answer for word in fact) for fact in facts) / len(facts)


def point_count(case: Case, result: Result) -> float | None:
    """1 when the answer has exactly the number of points asked."""
    if "points" not in case:
        return None
    numbered = [line for line in (result.get("answer") or "").splitlines() if line[:3].rstrip(". ").isdigit()]
    return float(len(numbered) == case["points"])


def correct_refusal(case: Case, result: Result) -> float:
    """Refusals: the right one, with no citation. Summaries: not refused, with citations."""
    answer = fold(result.get("answer") or "")
    kind = case["kind"]
    if kind == "summary":
        refused = any(marker in answer for marker in _REFUSALS.values())
        return float(bool(result["citations"]) and not refused and result["status"] == "done")
    return float(_REFUSALS[kind] in answer and not result["citations"])


SCORERS = {
    "citation_validity": citation_validity,
    "speaker_faithfulness": speaker_faithfulness,
    "fact_coverage": fact_coverage,
    "point_count": point_count,
    "correct_refusal": correct_refusal,
}
