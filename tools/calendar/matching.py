"""Fuzzy matching of a meeting's subject: accents, word order, plurals and acronyms (« AG DTNIB »)."""

from __future__ import annotations

from difflib import SequenceMatcher

from tools.doctext.folding import fold, terms

MATCH_THRESHOLD = 0.6  # at or above: the meeting meant; below: only a suggestion
SUGGESTION_FLOOR = 0.3


def _term_found(term: str, subject_terms: list[str], acronyms: set[str]) -> bool:
    if term in subject_terms or term in acronyms:
        return True
    # A prefix of three letters or more stands for the word (« assemb », « géné »).
    return len(term) >= 3 and any(word.startswith(term) for word in subject_terms)


def _acronyms(subject_terms: list[str]) -> set[str]:
    # Initials of each run of two to four consecutive words: « assemblée générale » → « ag ».
    return {
        "".join(word[0] for word in subject_terms[i : i + size])
        for size in (2, 3, 4)
        for i in range(len(subject_terms) - size + 1)
    }


def subject_score(query: str, subject: str) -> float:
    """How well `query` designates `subject`, from 0 (unrelated) to 1 (same words)."""
    wanted, found_in = terms(query), terms(subject)
    if not wanted or not found_in:
        return 0.0
    acronyms = _acronyms(found_in)
    coverage = sum(_term_found(term, found_in, acronyms) for term in wanted) / len(wanted)
    similarity = SequenceMatcher(None, fold(query), fold(subject)).ratio()
    return round(0.75 * coverage + 0.25 * similarity, 4)
