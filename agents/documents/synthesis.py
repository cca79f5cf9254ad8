"""« Une synthèse de DOCUMENT »: its parts in order, each with its most representative sentences, cited.

Extractive: every line is a verbatim sentence of the document at its locator (a DOCX heading or a
PDF page), chosen by local embeddings for how well it stands for its part and for the whole.
With a model allowed, the model writes the synthesis from those same sentences, citations checked.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from agents.citations import SourceKind
from agents.context import RunContext
from agents.documents.passages import Passage, stems
from agents.extractive import normalise_rows, sentences
from agents.fallback import Fallback, FallbackReason
from agents.grounded import citation_of, generative_answer
from agents.messages import say
from agents.model_node import with_model
from agents.state import AnswerState

MAX_PARTS = 6  # a synthesis one screen long: the most representative parts, in reading order
PER_PART = 2
MIN_WORDS = 6
MAX_SENTENCE_CHARS = 320
_FILE_EXTENSION = re.compile(r"\.(?:pdf|docx|txt)$", re.IGNORECASE)
_SECTION_NAME = re.compile(r"^section « (?P<name>.*) »$")


def best_document(subject: str, hits: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The hit whose title shares most words with the subject named (the search's order breaks ties)."""
    wanted = stems(subject)
    if not hits:
        return None
    scored = [(len(wanted & stems(str(hit.get("title", "")))), -index) for index, hit in enumerate(hits)]
    best = max(range(len(hits)), key=lambda index: scored[index])
    return hits[best]


def _part_name(locator: str) -> str:
    match = _SECTION_NAME.match(locator)
    return match.group("name") if match else locator[:1].upper() + locator[1:]


def _candidates(document: dict[str, Any]) -> list[tuple[int, Passage]]:
    """(part index, one sentence as a passage at its locator) for every sentence worth quoting."""
    found = []
    for index, section in enumerate(document.get("sections", [])):
        for sentence in sentences(str(section["text"])):
            if len(sentence.split()) >= MIN_WORDS and len(sentence) <= MAX_SENTENCE_CHARS:
                passage = Passage(
                    document_id=str(document["id"]),
                    title=str(document["title"]),
                    url=str(document.get("url", "")),
                    locator=str(section["locator"]),
                    text=sentence,
                )
                found.append((index, passage))
    return found


async def representative(document: dict[str, Any], context: RunContext) -> list[list[Passage]]:
    """For the most representative parts, in reading order, their best sentences."""
    candidates = _candidates(document)
    if not candidates:
        return []
    vectors = normalise_rows(await context.models.embed([p.text for _, p in candidates]))
    whole = vectors.mean(axis=0)
    by_part: dict[int, list[int]] = {}
    for row, (part, _) in enumerate(candidates):
        by_part.setdefault(part, []).append(row)
    chosen: dict[int, tuple[float, list[int]]] = {}
    for part, rows in by_part.items():
        centre = vectors[rows].mean(axis=0)
        # Stands for its part first, for the document second: a part's own point, not boilerplate.
        score = {row: float(0.7 * vectors[row] @ centre + 0.3 * vectors[row] @ whole) for row in rows}
        best = sorted(rows, key=lambda row: -score[row])[:PER_PART]
        chosen[part] = (float(np.mean([score[row] for row in best])), sorted(best))
    parts = sorted(chosen, key=lambda part: -chosen[part][0])[:MAX_PARTS]
    return [[candidates[row][1] for row in chosen[part][1]] for part in sorted(parts)]


def extractive_synthesis(
    document: dict[str, Any], parts: list[list[Passage]], fallback: Fallback
) -> AnswerState:
    """The parts with their quoted sentences, numbered citations, after the fallback's notice."""
    title = _FILE_EXTENSION.sub("", str(document["title"]))
    lines = [
        say("documents.synthesis_lead", title=title),
        "",
        fallback.notice(say("shown.synthesis")),
        "",
    ]
    citations = []
    for part in parts:
        quoted = []
        for passage in part:
            citations.append(citation_of(passage, passage.text, SourceKind.DOCUMENT).model_dump(mode="json"))
            quoted.append(f"{passage.text} [{len(citations)}]")
        lines.append(
            say("documents.synthesis_part", part=_part_name(part[0].locator), quoted=" ".join(quoted))
        )
    return {
        "outcome": "ok",
        "mode": "extractive",
        "answer": "\n".join(lines),
        "citations": citations,
        "dropped": [],
        "fallback": fallback.record(),
    }


async def synthesis(message: str, document: dict[str, Any], context: RunContext) -> AnswerState:
    """The synthesis of one document the user may read: written by a model if allowed, else extractive."""
    parts = await representative(document, context)
    if not parts:
        return {
            "outcome": "not_covered",
            "mode": "extractive",
            "answer": say("documents.nothing_to_summarise", title=document["title"]),
        }
    flat = [passage for part in parts for passage in part]
    written, fallback = await with_model(
        context, lambda model: generative_answer(message, flat, model, context)
    )
    if written is not None and written["citations"]:
        return written  # type: ignore[return-value]
    if fallback is None:
        fallback = Fallback(FallbackReason.MODEL_UNUSABLE, say("fallback.no_verified_citation_document"))
    return extractive_synthesis(document, parts, fallback)
