"""What each routable workflow is for, in its own words: the router reads these and nothing else.

A card gives the description a model router reads, generic examples the local embeddings compare a
message with, and the recognisers that claim a message outright. Adding a workflow (or teaching one
to recognise more requests, as the robots' natural-language requests will) is adding or editing its
card; the router's prompt and examples follow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from agents.requests import (
    asks_calendar,
    asks_document_synthesis,
    asks_meeting_summary,
    asks_robot,
    asks_robot_task,
    needs_model,
)
from agents.workflows import Workflow


@dataclass(frozen=True)
class WorkflowCard:
    """A workflow as the router knows it."""

    workflow: Workflow
    description: str
    examples: tuple[str, ...]
    # Recognisers that send a message here without asking anyone, in the router's order.
    claims: tuple[Callable[[str], bool], ...] = field(default_factory=tuple)


CARDS: tuple[WorkflowCard, ...] = (
    WorkflowCard(
        Workflow.ROBOT_REQUEST,
        "préparer la demande de lancement d'un robot RPA du catalogue (automatisation d'une tâche "
        "administrative répétitive), soumise à validation",
        (
            "Lance le robot de traitement des factures pour le mois dernier",
            "Peux-tu déclencher le robot d'extraction pour mon service ?",
            "Démarre l'automatisation de création de compte pour un nouvel agent",
        ),
        (asks_robot, asks_robot_task),
    ),
    WorkflowCard(
        Workflow.MEETING_SUMMARY,
        "résumer une réunion Teams transcrite, ou l'intervention d'une personne pendant une réunion",
        (
            "Résume la réunion d'hier",
            "Qu'est-ce qui s'est dit à la réunion de service de mardi ?",
            "Quels sont les points clés du comité de la semaine dernière ?",
            "Résume ce qu'a présenté la responsable pendant la réunion",
        ),
        (asks_meeting_summary,),
    ),
    WorkflowCard(
        Workflow.TOOL_AGENT,
        "toute autre demande : consulter l'agenda de l'utilisateur, ou une tâche qui demande de rédiger, "
        "reformuler, traduire, calculer ou planifier",
        (
            "Quels rendez-vous ai-je demain ?",
            "Rédige un message pour prévenir mon équipe",
            "Traduis ce paragraphe en anglais",
            "Qui participe à la réunion de vendredi ?",
        ),
        (needs_model, asks_calendar),
    ),
    WorkflowCard(
        Workflow.DOCUMENT_QUESTION,
        "répondre à partir des documents de référence (règlements, notes de service, procédures, "
        "comptes rendus), ou en faire la synthèse",
        (
            "Que dit le règlement sur les congés ?",
            "Quel est le délai prévu par la procédure ?",
            "Quelles sont les conditions pour bénéficier de cette indemnité ?",
            "Fais-moi une synthèse de la note de service",
        ),
        (asks_document_synthesis,),
    ),
    WorkflowCard(
        Workflow.KNOWLEDGE_QUESTION,
        "répondre à partir des documents de référence propres à l'assistant",
        ("Que prévoit le texte de référence sur ce point ?",),
    ),
)


def card_of(workflow: Workflow) -> WorkflowCard | None:
    """The card of a routable workflow."""
    return next((card for card in CARDS if card.workflow is workflow), None)


def claimed(message: str, offered: Sequence[Workflow]) -> Workflow | None:
    """The first offered workflow whose recognisers claim the message outright."""
    for card in CARDS:
        if card.workflow in offered and any(claim(message) for claim in card.claims):
            return card.workflow
    return None
