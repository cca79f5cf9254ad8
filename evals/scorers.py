"""Scorers of the evaluation suites: each takes a case and the run's result, returns 0..1 or None."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from agents.citations import quote_is_in
from agents.folding import fold
from tools.meetings.vtt import parse_vtt
from tools.tenant.graph import load_content

Case = dict[str, Any]
Result = dict[str, Any]

_DOCUMENTS = {"rigtt": "Règlement intérieur", "note": "Note de service DRH 2025-014"}
_REFUSALS = {
    "out_of_scope": "les documents de reference ne couvrent pas cette question",
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


@cache
def _sections(title: str) -> dict[str, str]:
    """Locator → text of the tenant document whose file name starts with `title` (read from the files)."""
    for document in load_content(None).documents.values():
        if document.item.name.startswith(title):
            return {section.locator: section.text for section in document.sections}
    return {}


def document_citation_is_valid(citation: dict[str, Any]) -> bool:
    """True when the quote is found in the tenant file the citation names, at its locator."""
    text = _sections(citation["title"]).get(citation["locator"])
    return text is not None and quote_is_in(citation["quote"], text)


def citation_validity(case: Case, result: Result) -> float | None:
    """Share of citations found at their source: the cue (and speaker), or the document's page/section."""
    citations = result["citations"]
    if not citations:
        return None
    valid = 0
    for citation in citations:
        if citation["source"] in ("document", "knowledge"):
            valid += document_citation_is_valid(citation)
            continue
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


def expected_passage(case: Case, result: Result) -> float | None:
    """1 when a citation points at one of the passages the answer is expected in (document, locator)."""
    expected = case.get("passages") or []
    if not expected:
        return None
    wanted = {(_DOCUMENTS[item["document"]], item["locator"]) for item in expected}
    return float(
        any(
            (title, c["locator"]) in wanted
            for c in result["citations"]
            for title in _DOCUMENTS.values()
            if c["title"].startswith(title)
        )
    )


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
    if kind == "out_of_scope":  # the refusal, no citation, and whom to ask instead
        return float(_REFUSALS[kind] in answer and not result["citations"] and "adressez-vous" in answer)
    if kind in ("summary", "answer"):
        refused = any(marker in answer for marker in _REFUSALS.values())
        return float(bool(result["citations"]) and not refused and result["status"] == "done")
    return float(_REFUSALS[kind] in answer and not result["citations"])


# Words a forwardable point does not start with: it would lean on what came before.
_CONNECTIVES = frozenset(
    "mais et donc alors parce car puis ensuite or pourtant cependant toutefois bref voila oui non "
    "exactement sinon ainsi bon ok ca cela ils elles".split()
)


def _points(answer: str) -> list[str]:
    """The numbered points of a summary, without topic, speaker and footnote marker."""
    found = []
    for line in answer.splitlines():
        if not re.match(r"^\d+\. ", line):
            continue
        text = re.sub(r"^\d+\. (?:\*[^*]+\* — )?(?:\*\*[^*]+\*\* — )?", "", line)
        found.append(re.sub(r"(?: \[\d+\])+$", "", text).strip())
    return found


def key_point_coverage(case: Case, result: Result) -> float | None:
    """Share of the hand-written key points (any of their words) found in the summary."""
    points = case.get("key_points") or []
    if not points:
        return None
    answer = fold(result.get("answer") or "")
    return sum(any(fold(word) in answer for word in point) for point in points) / len(points)


def readability(case: Case, result: Result) -> float | None:
    """Share of points that start on no connective and end a sentence (forwardable as they are)."""
    points = _points(result.get("answer") or "")
    if case["kind"] != "summary" or not points:
        return None
    clean = [
        point
        for point in points
        if fold(point).split(" ", 1)[0].strip(",.:;") not in _CONNECTIVES and point[-1:] in ".!?…»)"
    ]
    return len(clean) / len(points)


SCORERS = {
    "citation_validity": citation_validity,
    "speaker_faithfulness": speaker_faithfulness,
    "fact_coverage": fact_coverage,
    "expected_passage": expected_passage,
    "point_count": point_count,
    "correct_refusal": correct_refusal,
    "key_point_coverage": key_point_coverage,
    "readability": readability,
}
