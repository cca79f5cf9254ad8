"""Cutting document sections into citable passages and ranking them against a question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from agents.extractive import Vectors, mmr_select, normalise_rows
from agents.folding import fold

_PARAGRAPHS = re.compile(r"\n\s*\n|(?<=[.!?:])\s*\n")
_WORD = re.compile(r"[a-z0-9]{4,}")
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


# Frequent French words of 4+ letters that say nothing about the topic (plus the hospital's name).
_STOPWORDS = frozenset(
    "comment combien quand quel quelle quels quelles pourquoi pour dans avec sans sous chez vers mais "
    "donc alors aussi etre avoir sont suis etes fait faire faut peut peux puis puisje doit dois mon "
    "notre votre leur leurs cette celle celui ceux elle elles nous vous tout tous toute toutes plus moins "
    "tres bien quoi dont entre apres avant depuis pendant chru exemple hopital est-ce quest".split()
)


def stems(text: str) -> set[str]:
    """Content words of `text`: accents folded, stop words dropped, cut to 6 letters (crude stemming)."""
    return {word[:6] for word in _WORD.findall(fold(text)) if word not in _STOPWORDS}


def lexical_overlap(question: str, text: str) -> float:
    """Share of the question's content words (stemmed) that the text contains."""
    wanted = stems(question)
    return len(wanted & stems(text)) / len(wanted) if wanted else 0.0


def rank(
    question: str, question_vector: Vectors, passages: list[Passage], vectors: Vectors, k: int
) -> list[tuple[Passage, float]]:
    """The `k` best passages (semantic similarity plus word overlap, diversified), with their relevance."""
    unit = normalise_rows(vectors)
    query = normalise_rows(question_vector)[0]
    relevance = 0.7 * (unit @ query) + 0.3 * np.array([lexical_overlap(question, p.text) for p in passages])
    chosen = mmr_select(vectors, k, relevance=relevance.astype(np.float64), diversity=0.25)
    return [(passages[index], float(relevance[index])) for index in chosen]
