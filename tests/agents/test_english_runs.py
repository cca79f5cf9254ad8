"""A run started by an English reader says its fixed texts in English: notices, tool cards, robot texts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import httpx
import pytest

from agents.context import ANSWER_IN_ENGLISH
from tests.sse import read_events

pytestmark = pytest.mark.anyio
PARIS = ZoneInfo("Europe/Paris")
ROBOT_REQUEST = "Lance le robot de refacturation des actes de laboratoire pour octobre"


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
    ariane: httpx.AsyncClient, headers: dict[str, str], message: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    thread = (await ariane.post("/api/threads", json={}, headers=headers)).json()["id"]
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
