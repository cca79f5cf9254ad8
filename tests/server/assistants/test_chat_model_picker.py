"""The chat's model picker: only models that can answer with this assistant, and a run uses the pick."""

from __future__ import annotations

import httpx
import pytest

from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from tests.fakes.scripted_turns import ScriptedTurnRunner
from tests.server.assistants.conftest import Headers, definition
from tests.server.chat.conftest import chat_api, runner  # noqa: F401 - fixtures
from tests.sse import read_events

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Two providers have an address (HDS and Mistral; no request is sent to them by these tests)."""
    upstreams = {
        "hds_vllm": UpstreamSettings(base_url="http://hds-vllm.invalid/v1"),
        "mistral": UpstreamSettings(base_url="http://mistral.invalid/v1"),
    }
    return settings.model_copy(update={"gateway_upstreams": upstreams})


async def _models(client: httpx.AsyncClient, headers: dict[str, str], assistant: str) -> list[str]:
    response = await client.get(f"/api/assistants/{assistant}/models", headers=headers)
    assert response.status_code == 200, response.text
    return [model["id"] for model in response.json()]


async def test_the_picker_offers_configured_models_allowed_for_the_assistants_data(
    chat_api: httpx.AsyncClient,  # noqa: F811
    as_user: Headers,
) -> None:
    sophie = as_user("sophie.girard")
    personal = definition(name="Aide paie", data_class="personal")
    personal_id = (await chat_api.post("/api/assistants", json=personal, headers=sophie)).json()["id"]
    health = definition(name="Aide consultations", data_class="health")
    health_id = (await chat_api.post("/api/assistants", json=health, headers=sophie)).json()["id"]
    pinned = definition(name="Aide Mistral", models=["mistral-medium-eu"])
    pinned_id = (await chat_api.post("/api/assistants", json=pinned, headers=sophie)).json()["id"]

    general = await _models(chat_api, sophie, "ariane")
    unknown = await chat_api.get("/api/assistants/pas-un-assistant/models", headers=sophie)

    # gpt-4o-azure-fr is allowed to staff but its provider has no address: not offered.
    assert general == ["mistral-small-hds", "mistral-medium-eu"]
    # Personal data stays with the HDS model; she is not cleared for health data at all.
    assert await _models(chat_api, sophie, personal_id) == ["mistral-small-hds"]
    assert await _models(chat_api, sophie, health_id) == []
    # An assistant that lists its models offers those only.
    assert await _models(chat_api, sophie, pinned_id) == ["mistral-medium-eu"]
    assert (unknown.status_code, unknown.json()["error"]) == (404, "assistant_not_found")


async def test_a_run_answers_with_the_picked_model_only_and_a_model_not_offered_is_refused(
    chat_api: httpx.AsyncClient,  # noqa: F811
    as_user: Headers,
    runner: ScriptedTurnRunner,  # noqa: F811
) -> None:
    sophie = as_user("sophie.girard")
    thread = (await chat_api.post("/api/threads", json={}, headers=sophie)).json()["id"]
    url = f"/api/threads/{thread}/runs"

    async with chat_api.stream(
        "POST", url, json={"message": "Bonjour", "model": "mistral-medium-eu"}, headers=sophie
    ) as response:
        assert response.status_code == 200, await response.aread()
        await read_events(response)
    refused = await chat_api.post(
        url, json={"message": "Bonjour", "model": "gpt-4o-azure-fr"}, headers=sophie
    )
    runs = (await chat_api.get(f"/api/threads/{thread}", headers=sophie)).json()["runs"]

    assert [turn.assistant.models for turn in runner.seen] == [["mistral-medium-eu"]]
    assert (refused.status_code, refused.json()["error"]) == (400, "model_not_offered")
    assert len(runs) == 1  # the refused request made no run
