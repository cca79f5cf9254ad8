"""The real agents honour the assistant: its instructions, only its tools, models and workflows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from evals.scripted_model import ScriptedChatModel
from tests.sse import read_events

pytestmark = pytest.mark.anyio

QUESTION = "Comment est compensé mon temps d'astreinte ?"
INSTRUCTIONS = "Tu es l'assistant de la paie : vouvoie toujours l'agent."

Talk = Callable[..., Any]


@pytest.fixture
def talk(ariane: httpx.AsyncClient, token_for: Callable[[str], str]) -> Talk:
    """Create an assistant as sophie.girard, then ask it one message in a new thread as her."""
    headers = {"Authorization": f"Bearer {token_for('sophie.girard@chru-exemple.fr')}"}

    async def send(
        message: str, workflow: str | None = None, **assistant: Any
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        body = {"name": "Assistant de test", "data_class": "internal", **assistant}
        created = await ariane.post("/api/assistants", json=body, headers=headers)
        assert created.status_code == 201, created.text
        thread = await ariane.post(
            "/api/threads", json={"assistant_id": created.json()["id"]}, headers=headers
        )
        async with ariane.stream(
            "POST",
            f"/api/threads/{thread.json()['id']}/runs",
            json={"message": message, "workflow": workflow},
            headers=headers,
        ) as response:
            events = await read_events(response)
            run_id = response.headers["x-ariane-run-id"]
        return events, (await ariane.get(f"/api/runs/{run_id}", headers=headers)).json()

    return send


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_the_assistant_instructions_come_first_in_the_model_prompt(
    talk: Talk, scripted_model: ScriptedChatModel
) -> None:
    _, run = await talk(
        QUESTION, instructions=INSTRUCTIONS, tools=["documents"], workflows=["document_question"]
    )
    assert (run["status"], run["workflow"], run["mode"]) == ("done", "document_question", "generative")
    systems = [str(prompt[0]["content"]) for prompt in scripted_model.prompts]
    assert len(systems) == 1  # one workflow, no routing call
    assert systems[0].startswith(INSTRUCTIONS + "\n\n")


async def test_a_tool_outside_the_assistant_list_is_refused(talk: Talk) -> None:
    events, run = await talk(QUESTION, tools=["calendar"], workflows=["document_question"])
    ends = [e["data"] for e in events if e["event"] == "tool_end"]
    assert [(e["tool"], e["ok"]) for e in ends] == [("search_documents", False)]
    assert "n'est pas autorisé pour cet assistant" in ends[0]["detail"]
    assert run["citations"] == []


@pytest.mark.parametrize("generative", [True], indirect=True)
async def test_only_the_assistant_models_are_used(talk: Talk, scripted_model: ScriptedChatModel) -> None:
    # Only the HDS model is configured; the assistant allows only the EU one: no model to call.
    _, run = await talk(
        QUESTION, models=["mistral-medium-eu"], tools=["documents"], workflows=["document_question"]
    )
    assert (run["status"], run["mode"]) == ("done", "extractive")
    assert scripted_model.prompts == []


async def test_messages_go_only_to_the_assistant_workflows(talk: Talk) -> None:
    _, run = await talk(QUESTION, tools=["calendar", "meetings"], workflows=["meeting_summary"])
    assert run["workflow"] == "meeting_summary"  # a document question, but the assistant summarises
    assert run["status"] == "done"


async def test_a_workflow_the_assistant_does_not_offer_is_refused(talk: Talk) -> None:
    _, run = await talk(
        QUESTION, workflow="document_question", tools=["meetings"], workflows=["meeting_summary"]
    )
    assert (run["status"], run["error"]["code"]) == ("failed", "workflow_not_allowed")
    # The refusal names the workflows in words, never their internal ids.
    detail = run["error"]["detail"]
    assert "question sur les documents" in detail, detail
    assert "résumé de réunion" in detail, detail
    assert "document_question" not in detail, detail
    assert "meeting_summary" not in detail, detail
