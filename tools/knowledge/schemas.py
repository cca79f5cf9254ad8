"""Structured results of the knowledge tool."""

from __future__ import annotations

from pydantic import BaseModel, Field


class KnowledgePassage(BaseModel):
    """A passage of a reference document, with where to find it."""

    document_id: str
    title: str = Field(description="Titre du document.")
    locator: str = Field(description="Repère à citer : « page 9 » ou « section « 3. Barème » ».")
    heading: str | None = Field(description="Article ou titre dans lequel se trouve le passage.")
    text: str = Field(
        description="Texte exact du passage (les citations doivent en être extraites mot pour mot)."
    )
    score: float = Field(description="Score de fusion (rang réciproque), plus haut = plus pertinent.")
    similarity: float | None = Field(description="Similarité sémantique avec la question (0 à 1).")
    text_rank: float | None = Field(description="Pertinence plein texte, si des mots correspondent.")
    url: str | None


class KnowledgeSearch(BaseModel):
    """The best passages of an assistant's reference documents for a question, best first."""

    query: str
    collection: str
    passages: list[KnowledgePassage]
