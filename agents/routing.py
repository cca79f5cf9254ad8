"""Intent routing with the local embeddings: which workflow should answer a message."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from langchain_core.messages import HumanMessage, SystemMessage

from agents.extractive import Vectors, normalise_rows
from agents.folding import fold
from agents.models import MODEL_FAILURES, ModelAccess


class Workflow(StrEnum):
    """The workflows a message can go to; the user may also pick one explicitly."""

    MEETING_SUMMARY = "meeting_summary"
    DOCUMENT_QUESTION = "document_question"
    TOOL_AGENT = "tool_agent"
    KNOWLEDGE_QUESTION = "knowledge_question"  # an assistant's own documents; chosen by the assistant
    ROBOT_REQUEST = "robot_request"
    TOOL_CONFIRMATION = "tool_confirmation"  # only ever started by the user's confirmation of a held call


# What a message may be routed to: a confirmation run is never chosen by routing.
ROUTABLE = tuple(workflow for workflow in Workflow if workflow is not Workflow.TOOL_CONFIRMATION)


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
    Workflow.ROBOT_REQUEST: [
        "Lance le robot de refacturation des actes de laboratoire pour octobre",
        "Déclenche le robot de création d'accès applicatif pour claire.dubois",
        "Sécurise le compte compromis de karim.haddad",
        "Lance le rapport quotidien des vulnérabilités de l'Active Directory",
        "Peux-tu exécuter le robot de commande des produits réguliers ?",
    ],
}


_SUMMARY_VERB = re.compile(r"\b(resum\w*|synthes\w*|synthetis\w*|compte rendu|points? cles|ce qui s'est dit)")
_MEETING_NOUN = re.compile(r"\b(reunion|comite|assemblee|ag|copil|codir|seance|intervention|point|cellule)\b")


_ROBOT_VERB = re.compile(r"\b(lance\w*|declench\w*|execut\w*|demarr\w*|relance\w*|fais tourner)\b")


def _asks_for_robot(message: str) -> bool:
    """« Lance le robot… »: a robot named with a launch verb goes to the robot workflow."""
    folded = fold(message)
    return bool(re.search(r"\brobots?\b", folded) and _ROBOT_VERB.search(folded))


def _asks_for_meeting_summary(message: str) -> bool:
    """« Résume la réunion… », « synthèse du comité… »: unambiguous, no need to compare embeddings."""
    folded = fold(message)
    return bool(_SUMMARY_VERB.search(folded) and _MEETING_NOUN.search(folded))


ROUTER_PROMPT = (
    "Tu orientes la demande d'un agent hospitalier vers un parcours. Parcours possibles : "
    "meeting_summary (résumer une réunion ou l'intervention d'une personne), document_question (répondre "
    "à partir des documents de référence : règlements, notes, procédures), robot_request (lancer un "
    "robot RPA : refacturation, création d'accès, compte compromis, rapport Active Directory…), "
    "tool_agent (autre demande qui "
    'demande de consulter l\'agenda ou les documents). Réponds par un objet JSON {"workflow": parcours}.'
)


async def _ask_model(message: str, models: ModelAccess, model: str, data_class: str) -> Workflow | None:
    """The allowed model's choice, or None when it fails or answers something else (then: embeddings)."""
    try:
        reply = await models.chat(model, data_class).ainvoke(
            [SystemMessage(ROUTER_PROMPT), HumanMessage(message)], response_format={"type": "json_object"}
        )
        choice = json.loads(str(reply.content)).get("workflow")
        return Workflow(choice)
    except (*MODEL_FAILURES, AttributeError, KeyError):
        return None


@dataclass
class IntentRouter:
    """Nearest centroid over the examples' embeddings, computed once per process."""

    _centroids: dict[Workflow, Vectors] = field(default_factory=dict)

    async def route(
        self, message: str, models: ModelAccess, data_class: str, allowed: Sequence[Workflow] = ()
    ) -> Workflow:
        """The workflow for a message, among the assistant's `allowed` ones (empty: all).

        An assistant with one workflow always goes there. An explicit meeting-summary request goes
        there; otherwise the allowed model chooses (a model router); without one, the nearest
        examples by local embeddings win. The tool agent needs a model that may call tools on this
        data; without one it is not a candidate.
        """
        offered = [workflow for workflow in allowed or ROUTABLE if workflow in ROUTABLE]
        if len(offered) == 1:
            return offered[0]
        if Workflow.MEETING_SUMMARY in offered and _asks_for_meeting_summary(message):
            return Workflow.MEETING_SUMMARY
        if Workflow.ROBOT_REQUEST in offered and _asks_for_robot(message):
            return Workflow.ROBOT_REQUEST
        model = await models.chat_model_for(data_class)
        if model is not None:
            chosen = await _ask_model(message, models, model, data_class)
            if chosen is not None and chosen in offered:
                return chosen
        if not self._centroids:
            await self._prepare(models)
        candidates = {workflow: c for workflow, c in self._centroids.items() if workflow in offered}
        if Workflow.TOOL_AGENT in candidates and await models.chat_model_for(data_class, tools=True) is None:
            candidates.pop(Workflow.TOOL_AGENT)
        if not candidates:
            return offered[0]
        query = normalise_rows(await models.embed([message]))[0]
        scores = {workflow: float(centroid @ query) for workflow, centroid in candidates.items()}
        return max(scores, key=lambda workflow: scores[workflow])

    async def _prepare(self, models: ModelAccess) -> None:
        for workflow, examples in EXAMPLES.items():
            vectors = normalise_rows(await models.embed(examples))
            centroid = vectors.mean(axis=0)
            self._centroids[workflow] = (centroid / np.linalg.norm(centroid)).astype(np.float32)
