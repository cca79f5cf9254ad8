"""Runs honour their thread's assistant: its current version is passed to the agents and recorded."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from agents.assistant import GENERAL_ASSISTANT
from tests.fakes.scripted_turns import ScriptedTurnRunner
from tests.server.assistants.conftest import Headers, definition, drop_model_from_staff
from tests.server.chat.conftest import chat_api, runner  # noqa: F401 - fixtures
from tests.sse import read_events

pytestmark = pytest.mark.anyio


async def _ask(
    client: httpx.AsyncClient, headers: dict[str, str], thread: str, message: str = "Bonjour"
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    async with client.stream(
        "POST", f"/api/threads/{thread}/runs", json={"message": message}, headers=headers
    ) as response:
        assert response.status_code == 200, await response.aread()
        events = await read_events(response)
        run_id = response.headers["x-ariane-run-id"]
    return events, (await client.get(f"/api/runs/{run_id}", headers=headers)).json()


async def _thread(client: httpx.AsyncClient, headers: dict[str, str], assistant: str | None = None) -> str:
    response = await client.post("/api/threads", json={"assistant_id": assistant}, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_a_run_records_the_version_of_the_assistant_it_honoured(
    chat_api: httpx.AsyncClient,  # noqa: F811
    as_user: Headers,
    runner: ScriptedTurnRunner,  # noqa: F811
) -> None:
    sophie = as_user("sophie.girard")
    body = definition(models=["mistral-small-hds"], tools=["documents", "knowledge"])
    assistant = (await chat_api.post("/api/assistants", json=body, headers=sophie)).json()["id"]
    thread = await _thread(chat_api, sophie, assistant)
    _, first = await _ask(chat_api, sophie, thread)
    changed = definition(instructions="Sois bref.", tools=["documents", "knowledge"])
    await chat_api.put(f"/api/assistants/{assistant}", json=changed, headers=sophie)
    _, second = await _ask(chat_api, sophie, thread)
    assert [(r["assistant_id"], r["assistant_version"]) for r in (first, second)] == [
        (assistant, 1),
        (assistant, 2),
    ]
    profiles = [turn.assistant.model_dump() for turn in runner.seen]
    assert profiles == [
        {
            "id": assistant,
            "version": 1,
            "name": "Aide facturation",
            "instructions": "Réponds en deux phrases.",
            "data_class": "internal",
            "models": ["mistral-small-hds"],
            "tools": ["documents", "knowledge"],
            "workflows": ["document_question"],
            "knowledge": assistant,
            "contact": "",
        },
        {
            "id": assistant,
            "version": 2,
            "name": "Aide facturation",
            "instructions": "Sois bref.",
            "data_class": "internal",
            "models": [],
            "tools": ["documents", "knowledge"],
            "workflows": ["document_question"],
            "knowledge": assistant,
            "contact": "",
        },
    ]


async def test_a_thread_without_assistant_runs_as_the_general_one(
    chat_api: httpx.AsyncClient,  # noqa: F811
    as_user: Headers,
    runner: ScriptedTurnRunner,  # noqa: F811
) -> None:
    claire = as_user("claire.dubois")
    _, run = await _ask(chat_api, claire, await _thread(chat_api, claire))
    assert (run["assistant_id"], run["assistant_version"]) == ("ariane", 1)
    # The stored built-in is the agents' default profile (used by runs outside the chat).
    assert runner.seen[0].assistant == GENERAL_ASSISTANT


async def test_nadia_talks_to_the_working_time_coach(
    chat_api: httpx.AsyncClient,  # noqa: F811
    as_user: Headers,
    runner: ScriptedTurnRunner,  # noqa: F811
) -> None:
    nadia = as_user("nadia.benali")
    thread = await _thread(chat_api, nadia, "coach-temps-de-travail")
    _, run = await _ask(chat_api, nadia, thread, "Comment est compensé mon temps d'astreinte ?")
    assert (run["status"], run["assistant_id"]) == ("done", "coach-temps-de-travail")
    coach = runner.seen[0].assistant
    assert (coach.knowledge, coach.workflows, coach.contact) == (
        "coach-temps-de-travail",
        ["knowledge_question"],
        "la cellule temps de travail de la DRH (poste 4 12 34)",
    )
    assert coach.instructions.startswith("Tu es le Coach Temps de Travail")


async def test_a_run_is_404_once_the_user_may_no_longer_use_the_assistant(
    chat_api: httpx.AsyncClient,  # noqa: F811
    as_user: Headers,
    runner: ScriptedTurnRunner,  # noqa: F811
) -> None:
    sophie, claire = as_user("sophie.girard"), as_user("claire.dubois")
    assistant = (await chat_api.post("/api/assistants", json=definition(), headers=sophie)).json()["id"]
    thread = await _thread(chat_api, claire, assistant)
    restricted = definition(audience={"roles": [], "services": ["DRH"]})
    await chat_api.put(f"/api/assistants/{assistant}", json=restricted, headers=sophie)
    response = await chat_api.post(f"/api/threads/{thread}/runs", json={"message": "Bonjour"}, headers=claire)
    assert (response.status_code, response.json()["error"]) == (404, "assistant_not_found")
    assert runner.seen == []
    detail = (await chat_api.get(f"/api/threads/{thread}", headers=claire)).json()
    assert detail["runs"] == []  # nothing stored for a refused run


async def test_a_run_of_an_assistant_with_a_model_policy_no_longer_allows_is_refused(
    chat_api: httpx.AsyncClient,  # noqa: F811
    as_user: Headers,
    runner: ScriptedTurnRunner,  # noqa: F811
) -> None:
    sophie = as_user("sophie.girard")
    body = definition(models=["gpt-4o-azure-fr"])
    assistant = (await chat_api.post("/api/assistants", json=body, headers=sophie)).json()["id"]
    thread = await _thread(chat_api, sophie, assistant)
    await drop_model_from_staff(chat_api, as_user("thomas.roux"), "gpt-4o-azure-fr")
    events, run = await _ask(chat_api, sophie, thread)
    assert [e["event"] for e in events] == ["started", "error", "done"]
    assert (run["status"], run["error"]["code"], run["assistant_version"]) == (
        "failed",
        "assistant_model_not_allowed",
        1,
    )
    assert "gpt-4o-azure-fr" in run["error"]["detail"]
    assert runner.seen == []  # the agents never ran
