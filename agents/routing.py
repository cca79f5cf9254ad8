"""Intent routing with the local embeddings: which workflow should answer a message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from agents.extractive import Vectors, normalise_rows
from agents.folding import fold
from agents.models import ModelAccess


class Workflow(StrEnum):
    """The workflows a message can go to; the user may also pick one explicitly."""

    MEETING_SUMMARY = "meeting_summary"
    DOCUMENT_QUESTION = "document_question"
    TOOL_AGENT = "tool_agent"


# Descriptions and examples are what the router compares a message with (nearest centroid).
EXAMPLES: dict[Workflow, list[str]] = {
    Workflow.MEETING_SUMMARY: [
        "Résume la réunion d'hier",
        "J'ai loupé l'assemblée générale, résume-moi l'intervention de la directrice en 4 points",
        "Qu'est-ce qui s'est dit au comité de direction de lundi dernier ?",
        "Fais-moi une synthèse du comité de pilotage IA",
        "Quels sont les points clés de la réunion de jeudi dernier ?",
        "Résume ce qu'a dit le chef de département pendant la réunion",
    ],
    Workflow.DOCUMENT_QUESTION: [
        "Comment est compensé mon temps d'astreinte ?",
        "Combien de jours puis-je mettre sur mon compte épargne-temps ?",
        "Que dit le règlement sur le travail de nuit ?",
        "Où trouver la procédure en cas de compte compromis ?",
        "Quelles sont les règles du temps partiel ?",
        "Le temps de formation est-il du temps de travail ?",
    ],
    Workflow.TOOL_AGENT: [
        "Quelles réunions ai-je cette semaine ?",
        "Liste mes rendez-vous de demain",
        "Qui participe à la réunion de vendredi ?",
        "Trouve les documents modifiés récemment sur le site DTNIB",
    ],
}


_SUMMARY_VERB = re.compile(r"\b(resum\w*|synthes\w*|synthetis\w*|compte rendu|points? cles|ce qui s'est dit)")
_MEETING_NOUN = re.compile(r"\b(reunion|comite|assemblee|ag|copil|codir|seance|intervention|point|cellule)\b")


def _asks_for_meeting_summary(message: str) -> bool:
    """« Résume la réunion… », « synthèse du comité… »: unambiguous, no need to compare embeddings."""
    folded = fold(message)
    return bool(_SUMMARY_VERB.search(folded) and _MEETING_NOUN.search(folded))


@dataclass
class IntentRouter:
    """Nearest centroid over the examples' embeddings, computed once per process."""

    _centroids: dict[Workflow, Vectors] = field(default_factory=dict)

    async def route(self, message: str, models: ModelAccess, data_class: str) -> Workflow:
        """The workflow whose examples the message is closest to, among those that can run.

        The tool agent needs a model that may call tools on this data; without one it is not a
        candidate, and a request to summarise a meeting goes to that workflow whatever the scores.
        """
        if _asks_for_meeting_summary(message):
            return Workflow.MEETING_SUMMARY
        if not self._centroids:
            await self._prepare(models)
        candidates = dict(self._centroids)
        if await models.chat_model_for(data_class, tools=True) is None:
            candidates.pop(Workflow.TOOL_AGENT)
        query = normalise_rows(await models.embed([message]))[0]
        scores = {workflow: float(centroid @ query) for workflow, centroid in candidates.items()}
        return max(scores, key=lambda workflow: scores[workflow])

    async def _prepare(self, models: ModelAccess) -> None:
        for workflow, examples in EXAMPLES.items():
            vectors = normalise_rows(await models.embed(examples))
            centroid = vectors.mean(axis=0)
            self._centroids[workflow] = (centroid / np.linalg.norm(centroid)).astype(np.float32)
