"""The knowledge workflow as « Coach Temps de Travail », extractive and with the scripted model."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from agents.citations import quote_is_in
from agents.knowledge.graph import MAX_SHOWN_PASSAGES
from agents.turn import Caller, TurnOutcome, TurnRequest
from server.app import agent_runner
from server.knowledge.seed import seed_builtin_knowledge
from tools.tenant.graph import load_content

pytestmark = pytest.mark.anyio

CONTACT = "la cellule temps de travail de la DRH (poste 4 12 34)"  # the stored coach's (migration 0016)

Ask = Callable[[str, str], Any]


@pytest.fixture
async def ask_coach(ariane_app, ariane, settings, token_for) -> Ask:
    """Ask the coach as a user (short name): the real runner, tools over MCP, models via the gateway."""
    app, api = ariane_app, ariane
    await seed_builtin_knowledge(app.state.context.knowledge)
    runner = agent_runner(app, settings, app.state.context.pool, in_process=True)

    async def ask(user: str, message: str) -> tuple[TurnOutcome, list[tuple[str, dict[str, Any]]]]:
        token = token_for(f"{user}@chru-exemple.fr")
        me = (await api.get("/api/me", headers={"Authorization": f"Bearer {token}"})).json()
        caller = Caller(
            id=me["id"],
            email=me["email"],
            display_name=me["display_name"],
            roles=me["roles"],
            token=token,
        )
        events: list[tuple[str, dict[str, Any]]] = []

        async def emit(kind: Any, data: dict[str, Any]) -> None:
            events.append((str(kind), data))

        # The stored coach, as the chat service resolves it for this user.
        user_of = await app.state.context.auth.authenticate(token)
        coach, _ = await app.state.context.assistants.profile(user_of, "coach-temps-de-travail")
        turn = TurnRequest(
            run_id=str(uuid.uuid4()),
            thread_id=str(uuid.uuid4()),
            message=message,
            caller=caller,
            assistant=coach,
        )
        return await runner(turn, emit), events

    return ask


def _located_text(citation: dict[str, Any] | Any) -> str:
    """The text of the tenant document the citation names, at its locator (checked independently)."""
    content = load_content(None)
    document = next(d for d in content.documents.values() if d.item.name.startswith(citation.title))
    return next(s.text for s in document.sections if s.locator == citation.locator)


async def test_on_call_compensation_is_answered_from_the_regulation_or_the_note(ask_coach):
    outcome, events = await ask_coach("nadia.benali", "Comment est compensé mon temps d'astreinte ?")

    assert (outcome.workflow, outcome.mode) == ("knowledge_question", "extractive")
    assert 1 <= len(outcome.citations) <= MAX_SHOWN_PASSAGES
    for citation in outcome.citations:
        assert citation.source == "knowledge"
        assert citation.title.startswith(("Règlement intérieur", "Note de service DRH 2025-014"))
        assert quote_is_in(citation.quote, _located_text(citation))
    assert "astreinte" in outcome.answer.lower()
    assert outcome.answer.endswith(f"adressez-vous à {CONTACT}.")
    assert (
        "tool_start",
        {
            "tool": "search_knowledge",
            "server": "knowledge",
            "label": "Recherche dans les documents de référence…",
        },
    ) in events


async def test_a_parking_question_gets_the_out_of_scope_answer_and_the_contact(ask_coach):
    outcome, _ = await ask_coach("nadia.benali", "Où puis-je garer ma voiture ?")

    assert outcome.citations == []
    assert outcome.answer == (
        "Les documents de référence ne couvrent pas cette question.\n\n"
        f"Pour cette question, adressez-vous à {CONTACT}."
    )


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_with_a_model_the_answer_is_short_and_its_citations_are_checked(ask_coach, scripted_model):
    outcome, _ = await ask_coach("nadia.benali", "Comment est compensé mon temps d'astreinte ?")

    assert outcome.mode == "generative"
    assert outcome.citations
    for citation in outcome.citations:
        assert quote_is_in(citation.quote, _located_text(citation))
    assert len(outcome.answer) < 600
    assert "Consignes de l'assistant « Coach Temps de Travail »" in scripted_model.prompts[-1][0]["content"]


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_an_invented_quote_of_the_model_is_dropped(ask_coach, scripted_model):
    scripted_model.invent = True

    outcome, _ = await ask_coach("nadia.benali", "Comment est compensé mon temps d'astreinte ?")

    assert [d.reason for d in outcome.dropped] == ["quote_not_found"]
    assert "invent" not in str(outcome.citations)


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_with_a_model_a_parking_question_is_still_refused_without_asking_it(ask_coach, scripted_model):
    outcome, _ = await ask_coach("nadia.benali", "Où puis-je garer ma voiture ?")

    assert outcome.answer.startswith("Les documents de référence ne couvrent pas cette question.")
    assert outcome.citations == []
