"""Intent routing: which workflow should answer a message, from the workflows' own cards.

Order: a workflow the assistant alone offers; a message a card's recogniser claims outright; a
follow-up goes where the previous turn went; then an allowed model chooses from the cards'
descriptions; without one, the nearest card examples by local embeddings. Without a model that may
call tools, the tool agent is reached only through its claims (calendar questions, tasks that need a
model), where it answers honestly without one — never from a vague similarity.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.messages import HumanMessage, SystemMessage

from agents.cards import CARDS, claimed
from agents.conversation import PriorTurn, is_follow_up
from agents.extractive import Vectors, normalise_rows
from agents.models import MODEL_FAILURES, ModelAccess
from agents.workflows import ROUTABLE, Workflow

__all__ = ["ROUTABLE", "IntentRouter", "Workflow", "router_prompt"]


def router_prompt(offered: Sequence[Workflow]) -> str:
    """The model router's system prompt: the offered workflows, each in its card's words."""
    lines = "\n".join(
        f"- {card.workflow.value} : {card.description}" for card in CARDS if card.workflow in offered
    )
    return (
        "Tu orientes la demande d'un agent hospitalier vers un parcours. Parcours possibles :\n"
        f"{lines}\n"
        'Réponds par un objet JSON {"workflow": parcours}.'
    )


async def _ask_model(
    message: str, offered: Sequence[Workflow], models: ModelAccess, model: str, data_class: str
) -> Workflow | None:
    """The allowed model's choice, or None when it fails or answers something else (then: embeddings)."""
    try:
        reply = await models.chat(model, data_class).ainvoke(
            [SystemMessage(router_prompt(offered)), HumanMessage(message)],
            response_format={"type": "json_object"},
        )
    except MODEL_FAILURES:
        return None
    try:
        parsed = json.loads(str(reply.content))
    except json.JSONDecodeError:
        return None
    choice = parsed.get("workflow") if isinstance(parsed, dict) else None
    known = {workflow.value: workflow for workflow in Workflow}
    return known.get(choice) if isinstance(choice, str) else None


@dataclass
class IntentRouter:
    """Routes messages; the cards' example centroids are computed once per process."""

    _centroids: dict[Workflow, Vectors] = field(default_factory=dict)

    async def route(
        self,
        message: str,
        models: ModelAccess,
        data_class: str,
        allowed: Sequence[Workflow] = (),
        history: Sequence[PriorTurn] = (),
    ) -> Workflow:
        """The workflow for a message, among the assistant's `allowed` ones (empty: all)."""
        offered = [workflow for workflow in allowed or ROUTABLE if workflow in ROUTABLE]
        if len(offered) == 1:
            return offered[0]
        chosen = claimed(message, offered)
        if chosen is not None:
            return chosen
        if is_follow_up(message, list(history)) and history[-1].workflow in offered:
            return Workflow(str(history[-1].workflow))
        model = await models.chat_model_for(data_class)
        if model is not None:
            chosen = await _ask_model(message, offered, models, model, data_class)
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
        for card in CARDS:
            vectors = normalise_rows(await models.embed(list(card.examples)))
            centroid = vectors.mean(axis=0)
            self._centroids[card.workflow] = (centroid / np.linalg.norm(centroid)).astype(np.float32)
