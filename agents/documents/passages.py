"""Cutting document sections into citable passages and ranking them against a question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from agents.extractive import Vectors, mmr_select, normalise_rows
from agents.lexicon import term_set

_PARAGRAPHS = re.compile(r"\n\s*\n|(?<=[.!?:])\s*\n")
MAX_PASSAGE_CHARS = 600


@dataclass(frozen=True)
class Passage:
    """A paragraph of a document at a locator (« page 8 », « section « Article 23 » »)."""

    document_id: str
    title: str
    url: str
    locator: str
    text: str


def passages_of(document: dict[str, Any]) -> list[Passage]:
    """The paragraphs of each section of a `read_document` result, each at most ~600 characters."""
    result: list[Passage] = []
    for section in document.get("sections", []):
        for paragraph in _PARAGRAPHS.split(str(section["text"])):
            text = " ".join(paragraph.split())
            result.extend(
                Passage(
                    document_id=str(document["id"]),
                    title=str(document["title"]),
                    url=str(document.get("url", "")),
                    locator=str(section["locator"]),
                    text=piece,
                )
                for piece in _pieces(text)
                if len(piece.split()) >= 5
            )
    return result


def _pieces(text: str) -> list[str]:
    if len(text) <= MAX_PASSAGE_CHARS:
        return [text]
    sentences = re.split(r"(?<=[.!?;])\s+", text)
    pieces, current = [], ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > MAX_PASSAGE_CHARS:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    return [*pieces, current] if current else pieces


def stems(text: str) -> set[str]:
    """Content terms of `text` (`agents.lexicon`: French stems, no accents, thesaurus-joined)."""
    return term_set(text)


def lexical_overlap(question: str, text: str) -> float:
    """Share of the question's content terms that the text holds."""
    wanted = term_set(question)
    return len(wanted & term_set(text)) / len(wanted) if wanted else 0.0


def rank(
    question: str, question_vector: Vectors, passages: list[Passage], vectors: Vectors, k: int
) -> list[tuple[Passage, float]]:
    """The `k` best passages (semantic similarity plus word overlap, diversified), with their relevance."""
    unit = normalise_rows(vectors)
    query = normalise_rows(question_vector)[0]
    relevance = 0.7 * (unit @ query) + 0.3 * np.array([lexical_overlap(question, p.text) for p in passages])
    chosen = mmr_select(vectors, k, relevance=relevance.astype(np.float64), diversity=0.25)
    return [(passages[index], float(relevance[index])) for index in chosen]
