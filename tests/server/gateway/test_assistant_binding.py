"""The assistant named in a request is a stored one the caller may use; its data class is the floor."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest

from tests.fakes.openai_upstream import FakeOpenAIUpstream
from tests.server.gateway.conftest import CLAIRE, THOMAS, chat_body, store_assistant

pytestmark = pytest.mark.anyio

NADIA = "nadia.benali@chru-exemple.fr"  # DRH


async def _code(gateway: httpx.AsyncClient, headers: dict[str, str], model: str = "mistral-small-hds") -> str:
    response = await gateway.post("/v1/chat/completions", json=chat_body(model), headers=headers)
    return "ok" if response.status_code == 200 else str(response.json()["error"]["code"])


async def test_an_unknown_assistant_is_refused_in_the_openai_envelope(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    headers = auth(CLAIRE, **{"X-Ariane-Assistant": "assistant-fantome"})
    response = await gateway.post(
        "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=headers
    )
    assert response.status_code == 403
    assert response.json()["error"] == {
        "message": "L'assistant « assistant-fantome » n'existe pas ou ne vous est pas ouvert.",
        "type": "permission_error",
        "param": "X-Ariane-Assistant",
        "code": "assistant_not_allowed",
    }
    listed = await gateway.get("/v1/models", headers=headers)
    assert (listed.status_code, listed.json()["error"]["code"]) == (403, "assistant_not_allowed")
    metadata = chat_body("mistral-small-hds", metadata={"ariane_assistant": "assistant-fantome"})
    by_metadata = await gateway.post("/v1/chat/completions", json=metadata, headers=auth(CLAIRE))
    assert by_metadata.json()["error"]["code"] == "assistant_not_allowed"
    assert upstream.requests == []


async def test_an_assistant_for_another_service_is_refused(
    gateway: httpx.AsyncClient, auth: Any, database_url: str
) -> None:
    store_assistant(database_url, "paie-drh", "internal", audience_services=["DRH"])
    assert await _code(gateway, auth(NADIA, **{"X-Ariane-Assistant": "paie-drh"})) == "ok"
    assert await _code(gateway, auth(CLAIRE, **{"X-Ariane-Assistant": "paie-drh"})) == "assistant_not_allowed"
    assert await _code(gateway, auth(THOMAS, **{"X-Ariane-Assistant": "paie-drh"})) == "ok"  # ai_admin


async def test_the_stored_data_class_is_the_floor_of_the_classification(
    gateway: httpx.AsyncClient, auth: Any, database_url: str
) -> None:
    store_assistant(database_url, "dossiers-agents", "personal")
    headers = auth(CLAIRE, **{"X-Ariane-Assistant": "dossiers-agents"})
    assert await _code(gateway, headers, "mistral-medium-eu") == "data_class_not_allowed"  # EU: not personal
    assert await _code(gateway, headers, "mistral-small-hds") == "ok"
    assert await _code(gateway, auth(CLAIRE), "mistral-medium-eu") == "ok"  # the same text, no assistant


async def test_an_assistant_uses_only_its_models(
    gateway: httpx.AsyncClient, auth: Any, database_url: str
) -> None:
    store_assistant(database_url, "aide-facturation", "internal", models=["mistral-small-hds"])
    headers = auth(CLAIRE, **{"X-Ariane-Assistant": "aide-facturation"})
    assert await _code(gateway, headers, "mistral-medium-eu") == "model_not_allowed"
    assert await _code(gateway, headers, "Mistral-Small") == "ok"
    listed = (await gateway.get("/v1/models", headers=headers)).json()["data"]
    assert [model["id"] for model in listed] == ["all-minilm-l6-v2", "mistral-small-hds"]
    embedded = await gateway.post(
        "/v1/embeddings", json={"model": "all-minilm-l6-v2", "input": "Bonjour"}, headers=headers
    )
    assert embedded.status_code == 200  # embeddings are not the assistant's chat models


async def test_an_archived_assistant_is_refused(
    gateway: httpx.AsyncClient, auth: Any, database_url: str
) -> None:
    store_assistant(database_url, "ancien-assistant", "internal")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE assistants SET archived_at = now() WHERE id = 'ancien-assistant'")
    headers = auth(CLAIRE, **{"X-Ariane-Assistant": "ancien-assistant"})
    assert await _code(gateway, headers) == "assistant_not_allowed"
