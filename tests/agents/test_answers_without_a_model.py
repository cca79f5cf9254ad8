"""What a user gets without a generative model: honest routing, follow-ups, forwardable summaries, reasons."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from agents.meetings.talk import CONNECTIVES
from server.knowledge.seed import seed_builtin_knowledge

pytestmark = pytest.mark.anyio

Converse = Callable[..., Any]
SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))  # the scenario's today
NEEDS_MODEL = "Cette demande nécessite un modèle génératif"


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"fixed_now": SATURDAY})


@pytest.fixture
def converse(ariane: httpx.AsyncClient, token_for: Callable[[str], str]) -> Converse:
    """Ask several messages in one new thread (with an assistant, if given); returns the runs."""

    async def send(user: str, *messages: str, assistant: str | None = None) -> list[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}
        body = {"assistant_id": assistant} if assistant else {}
        thread = (await ariane.post("/api/threads", json=body, headers=headers)).json()["id"]
        runs = []
        for message in messages:
            response = await ariane.post(
                f"/api/threads/{thread}/runs", json={"message": message}, headers=headers
            )
            run_id = response.headers["x-ariane-run-id"]
            runs.append((await ariane.get(f"/api/runs/{run_id}", headers=headers)).json())
        return runs

    return send


async def test_calendar_questions_are_answered_from_the_calendar(converse):
    week, tomorrow = await converse("julien.perrin", "Quelles réunions ai-je cette semaine ?", "Et lundi ?")

    assert (week["workflow"], week["status"]) == ("tool_agent", "done")
    assert "Réunion de service DTNIB" in week["answer"]
    assert "du lundi 23 novembre 2026 au dimanche 29 novembre 2026" in week["answer"]
    assert tomorrow["workflow"] == "tool_agent"
    assert "lundi 30 novembre 2026" in tomorrow["answer"]
    assert "Comité de direction" in tomorrow["answer"]


@pytest.mark.parametrize(
    "message",
    [
        "Rédige un mail à Julien pour décaler la réunion",
        "Combien font 17 fois 23 ?",
        "Traduis la note sur les astreintes en anglais",
    ],
)
async def test_a_task_that_needs_a_model_gets_one_honest_answer_and_no_passages(converse, message):
    (run,) = await converse("claire.dubois", message)

    assert run["answer"].startswith(NEEDS_MODEL)
    assert "aucun modèle génératif n'est configuré" in run["answer"]
    assert run["citations"] == []
    assert run["fallback"]["reason"] == "no_model"


async def test_a_synthesis_of_a_document_gives_its_parts_with_cited_sentences(converse):
    (run,) = await converse("julien.perrin", "Fais-moi une synthèse de la feuille de route IA")

    assert (run["workflow"], run["status"], run["mode"]) == ("document_question", "done", "extractive")
    assert run["answer"].startswith("Synthèse de « Feuille de route IA 2025-2027 »")
    assert len(run["citations"]) >= 4
    assert all(c["title"].startswith("Feuille de route IA 2025-2027") for c in run["citations"])
    assert len({c["locator"] for c in run["citations"]}) >= 3  # several parts, not one passage


async def test_the_extractive_answer_says_no_model_is_configured_and_records_it(converse):
    (run,) = await converse("nadia.benali", "Que dit le règlement sur le travail de nuit ?")

    assert run["mode"] == "extractive"
    assert "_Réponse extractive : aucun modèle génératif n'est configuré ;" in run["answer"]
    assert run["fallback"] == {
        "reason": "no_model",
        "detail": "aucun modèle génératif n'est configuré",
        "model": None,
    }


async def test_a_follow_up_to_the_coach_is_answered_about_the_previous_question(ariane_app, converse):
    await seed_builtin_knowledge(ariane_app.state.context.knowledge)

    first, follow = await converse(
        "ines.moreau",
        "Combien de jours d'absence pour garder un enfant malade ?",
        "Et si j'élève seule mon enfant ?",
        assistant="coach-temps-de-travail",
    )

    assert "6 jours" in first["answer"]
    assert "12 jours" in follow["answer"]
    assert follow["citations"]


async def test_a_follow_up_on_another_topic_is_not_answered_with_the_previous_passages(ariane_app, converse):
    await seed_builtin_knowledge(ariane_app.state.context.knowledge)

    _, follow = await converse(
        "nadia.benali",
        "Combien de jours de congés annuels ai-je droit ?",
        "Et pour la cantine, combien ça coûte ?",
        assistant="coach-temps-de-travail",
    )

    assert follow["answer"].startswith("Les documents de référence ne couvrent pas cette question.")
    assert follow["citations"] == []


def _point_lines(answer: str) -> list[str]:
    return [line for line in answer.splitlines() if re.match(r"^\d+\. ", line)]


def _point_text(line: str) -> str:
    text = re.sub(r"^\d+\. (?:\*[^*]+\* — )?(?:\*\*[^*]+\*\* — )?", "", line)
    return re.sub(r" \[\d+\]$", "", text)


async def test_a_talk_summary_follows_the_announced_messages_in_whole_sentences(converse):
    (run,) = await converse(
        "claire.dubois",
        "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 6 points",
    )

    texts = [_point_text(line) for line in _point_lines(run["answer"])]
    assert len(texts) == 6
    ordinals = ["premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième"]
    for ordinal, text in zip(ordinals, texts, strict=True):
        assert text.lower().startswith(ordinal)
        assert text.rstrip()[-1] in ".!?…»"
        assert "message" not in text.lower().split(ordinal, 1)[1][20:]  # no next message run into
    assert {c["speaker"] for c in run["citations"]} == {"Hélène Marchal"}


async def test_a_whole_meeting_summary_covers_each_main_speaker_and_reads_cleanly(converse):
    summary, detail = await converse(
        "claire.dubois", "Résume-moi l'assemblée générale DTNIB en 5 points", "Et le deuxième point ?"
    )

    speakers = {c["speaker"] for c in summary["citations"]}
    assert {"Hélène Marchal", "Julien Perrin", "Sophie Girard", "Thomas Roux"} <= speakers
    for line in _point_lines(summary["answer"]):
        text = _point_text(line)
        assert text.split(" ", 1)[0].lower().strip(",.") not in CONNECTIVES
        assert text.rstrip()[-1] in ".!?…»"
    assert detail["workflow"] == "meeting_summary"
    assert detail["answer"].startswith("Le deuxième point de la synthèse")
    assert detail["citations"][0]["cue_ids"][0] in summary["citations"][1]["cue_ids"]


@pytest.mark.parametrize("assistant", ["ariane", "coach-temps-de-travail"])
async def test_every_starter_prompt_of_a_builtin_assistant_gets_a_useful_answer(
    ariane_app, ariane, converse, token_for, assistant
):
    await seed_builtin_knowledge(ariane_app.state.context.knowledge)
    headers = {"Authorization": f"Bearer {token_for('julien.perrin@chru-exemple.fr')}"}
    prompts = (await ariane.get(f"/api/assistants/{assistant}", headers=headers)).json()["starter_prompts"]

    for prompt in prompts:
        (run,) = await converse("julien.perrin", prompt, assistant=assistant)
        assert run["status"] == "done", prompt
        refusals = ("ne couvrent pas", "Je ne trouve", NEEDS_MODEL, "Je n'ai pas pu")
        assert not any(marker in run["answer"] for marker in refusals), prompt
        assert run["citations"] or run["workflow"] == "tool_agent", prompt
