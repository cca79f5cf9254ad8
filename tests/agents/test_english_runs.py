"""A run started by an English reader says its fixed texts in English: answers, notices, cards, robots."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import httpx
import pytest

from agents.context import ANSWER_IN_ENGLISH
from agents.dates import long_date
from agents.meetings.answer import not_found_answer
from agents.messages import speaking
from agents.phrasing import of_whom, to_whom
from server.knowledge.seed import seed_builtin_knowledge
from tests.sse import read_events

pytestmark = pytest.mark.anyio
PARIS = ZoneInfo("Europe/Paris")
ROBOT_REQUEST = "Lance le robot de refacturation des actes de laboratoire pour octobre"
SUMMARY_REQUEST = "Résume-moi l'intervention d'Hélène Marchal à l'assemblée générale DTNIB en 4 points"
UNKNOWN_MEETING = "Résume la réunion sur le menu de la cantine de Noël"
CONTACT = "la cellule temps de travail de la DRH (poste 4 12 34)"  # the stored coach's (migration 0016)


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"fixed_now": datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)})


@pytest.fixture
def headers(token_for: Callable[[str], str]) -> Callable[..., dict[str, str]]:
    def make(user: str, language: str | None = None) -> dict[str, str]:
        found = {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}
        return {**found, "Accept-Language": language} if language else found

    return make


async def _ask(
    ariane: httpx.AsyncClient, headers: dict[str, str], message: str, assistant: str | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    body = {"assistant_id": assistant} if assistant else {}
    thread = (await ariane.post("/api/threads", json=body, headers=headers)).json()["id"]
    async with ariane.stream(
        "POST", f"/api/threads/{thread}/runs", json={"message": message}, headers=headers
    ) as response:
        events = await read_events(response)
        run_id = response.headers["x-ariane-run-id"]
    return events, (await ariane.get(f"/api/runs/{run_id}", headers=headers)).json()


async def test_without_a_model_an_english_reader_gets_the_honest_answer_in_english(ariane, headers):
    _, english = await _ask(ariane, headers("claire.dubois", "en-GB,en;q=0.9"), "Combien font 17 fois 23 ?")
    _, french = await _ask(ariane, headers("claire.dubois"), "Combien font 17 fois 23 ?")

    assert english["answer"].startswith("This request needs a generative model (writing, rewording")
    assert "and no generative model is configured." in english["answer"]
    assert english["fallback"] == {
        "reason": "no_model",
        "detail": "no generative model is configured",
        "model": None,
    }
    # The same request without a language asked: French, as before.
    assert french["answer"].startswith("Cette demande nécessite un modèle génératif")
    assert french["fallback"]["detail"] == "aucun modèle génératif n'est configuré"


async def test_a_robot_request_speaks_english_to_its_english_requester_even_after_a_french_decision(
    ariane, headers
):
    events, run = await _ask(ariane, headers("marc.lefevre", "en"), ROBOT_REQUEST)

    assert [e["data"]["label"] for e in events if e["event"] == "tool_start"] == [
        "Reading the robot catalogue…",
        "Reading the robot's description…",
        "Requesting the robot's launch…",
    ]
    approval = next(e["data"] for e in events if e["event"] == "approval_required")
    assert run["answer"].startswith(
        f"I prepared the request to launch robot « {approval['robot_name']} ». It awaits the approval of: "
    )

    # The approver reads French; the requester's conversation goes on in English.
    decided = await ariane.post(f"/api/approvals/{approval['id']}/approve", headers=headers("sylvie.garnier"))
    assert decided.status_code == 200
    resumed = decided.json()["resumed_run_id"]
    with anyio.fail_after(90):
        async with ariane.stream(
            "GET", f"/api/runs/{resumed}/events", headers=headers("marc.lefevre", "en")
        ) as response:
            await read_events(response)
    report = (await ariane.get(f"/api/runs/{resumed}", headers=headers("marc.lefevre"))).json()
    assert report["answer"].startswith(
        f"Your request to launch robot « {approval['robot_name']} » was approved by Sylvie Garnier."
    )
    assert "\n\nThe robot finished successfully. Files produced: " in report["answer"]


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_a_model_is_asked_to_answer_an_english_reader_in_english(ariane, headers, scripted_model):
    question = "Comment est compensé mon temps d'astreinte ?"
    await _ask(ariane, headers("nadia.benali"), question)
    french_prompt = scripted_model.prompts[-1][0]["content"]
    await _ask(ariane, headers("nadia.benali", "en"), question)
    english_prompt = scripted_model.prompts[-1][0]["content"]

    assert ANSWER_IN_ENGLISH not in french_prompt
    assert english_prompt == f"{french_prompt}\n\n{ANSWER_IN_ENGLISH}"


def test_dates_and_names_are_said_in_the_runs_language() -> None:
    assert long_date("2025-06-19T14:00:00+02:00") == "jeudi 19 juin 2025"
    assert of_whom("Hélène Marchal") == "d'Hélène Marchal"
    with speaking("en"):
        assert long_date("2025-06-19T14:00:00+02:00") == "Thursday 19 June 2025"
        assert long_date("2025-05-12") == "Monday 12 May 2025"
        # No French contraction in English: plain « of … », « to … ».
        assert of_whom("le service paie") == "of le service paie"
        assert to_whom("les ressources humaines") == "to les ressources humaines"


async def test_an_english_reader_gets_a_meeting_summary_with_an_english_lead_and_date(ariane, headers):
    _, english = await _ask(ariane, headers("claire.dubois", "en"), SUMMARY_REQUEST)
    _, french = await _ask(ariane, headers("claire.dubois"), SUMMARY_REQUEST)

    lead = english["answer"].splitlines()[0]
    assert lead == (
        "Here is the contribution of Hélène Marchal to « Assemblée générale DTNIB » (Thursday 19 June 2025),"
        " in 4 points, each quoted from the transcript:"
    )
    assert french["answer"].splitlines()[0] == (
        "Voici l'intervention d'Hélène Marchal lors de « Assemblée générale DTNIB » (jeudi 19 juin 2025),"
        " en 4 points, chacun cité depuis la transcription :"
    )
    # The quotes are the transcript's own words, whoever reads them.
    assert [c["quote"] for c in english["citations"]] == [c["quote"] for c in french["citations"]]


async def test_an_english_reader_is_told_in_english_that_a_meeting_is_not_found(ariane, headers):
    _, english = await _ask(ariane, headers("claire.dubois", "en"), UNKNOWN_MEETING)
    _, french = await _ask(ariane, headers("claire.dubois"), UNKNOWN_MEETING)

    assert english["answer"].startswith("I find no meeting matching « ")
    assert english["answer"].endswith(
        " » among those you have access to. If you were invited, check its title or date; otherwise,"
        " ask its organiser for the minutes."
    )
    assert english["citations"] == []
    assert french["answer"].startswith("Je ne trouve pas de réunion correspondant à « ")
    assert french["answer"].endswith("sinon, demandez le compte rendu à son organisateur.")


def test_the_closest_meetings_are_offered_with_dates_in_the_readers_language() -> None:
    close = [{"subject": "Comité de pilotage SIH", "start": "2025-05-12T10:00:00+02:00"}]

    with speaking("en"):
        english = not_found_answer("comité SI", close)
    french = not_found_answer("comité SI", close)

    assert english.endswith(
        "\n\nClosest meetings you can read:\n- Comité de pilotage SIH (Monday 12 May 2025)"
    )
    assert french.endswith(
        "\n\nRéunions les plus proches que vous pouvez consulter :"
        "\n- Comité de pilotage SIH (lundi 12 mai 2025)"
    )


async def test_a_knowledge_question_not_covered_is_refused_in_english(ariane_app, ariane, headers):
    await seed_builtin_knowledge(ariane_app.state.context.knowledge)
    question = "Où puis-je garer ma voiture ?"

    _, english = await _ask(ariane, headers("nadia.benali", "en"), question, "coach-temps-de-travail")
    _, french = await _ask(ariane, headers("nadia.benali"), question, "coach-temps-de-travail")

    assert english["answer"] == (
        f"The reference documents do not cover this question.\n\nFor this question, turn to {CONTACT}."
    )
    assert french["answer"] == (
        "Les documents de référence ne couvrent pas cette question.\n\n"
        f"Pour cette question, adressez-vous à {CONTACT}."
    )


async def test_an_english_reader_gets_their_calendar_in_english(ariane, headers):
    _, english = await _ask(ariane, headers("julien.perrin", "en"), "Quelles réunions ai-je cette semaine ?")

    lead, _, events = english["answer"].partition("\n\n")
    assert lead.startswith("You have ")
    assert lead.endswith(
        " events « cette semaine » (from Monday 23 November 2026 to Sunday 29 November 2026):"
    )
    assert "**Réunion de service DTNIB**" in events
    assert all(line.startswith("- ") and "day " in line for line in events.splitlines())
