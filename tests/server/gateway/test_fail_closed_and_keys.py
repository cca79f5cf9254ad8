"""Fail closed on a broken policy; service keys scoped to models, assistants and data classes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from server.settings import Settings
from tests.server.gateway.conftest import CLAIRE, THOMAS, chat_body, create_service_key

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "document",
    [
        "providers: [oops",  # not YAML
        "providers: {}\nmodels: []\nrules: []\nquotas: {user_tokens_per_day: -1}\n",  # invalid values
        "providers: {}\nmodels: []\nrules: [{id: r, models: [ghost]}]\n",  # dangling reference
    ],
)
async def test_a_broken_policy_file_closes_the_gateway(
    gateway_settings: Settings, make_gateway_client: Any, auth: Any, tmp_path: Path, document: str
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(document)
    async with make_gateway_client(
        gateway_settings.model_copy(update={"gateway_policy_file": path})
    ) as client:
        responses = [
            await client.get("/v1/models", headers=auth(CLAIRE)),
            await client.post(
                "/v1/chat/completions", json=chat_body("mistral-small-hds"), headers=auth(CLAIRE)
            ),
            await client.post(
                "/v1/embeddings", json={"model": "all-minilm-l6-v2", "input": "x"}, headers=auth(CLAIRE)
            ),
        ]
    assert [(r.status_code, r.json()["error"]["code"]) for r in responses] == [
        (503, "policy_unavailable")
    ] * 3
    assert "aucune politique" in responses[0].json()["error"]["message"]


async def test_a_missing_policy_file_closes_the_gateway(
    gateway_settings: Settings, make_gateway_client: Any, auth: Any, tmp_path: Path
) -> None:
    settings = gateway_settings.model_copy(update={"gateway_policy_file": tmp_path / "absent.yaml"})
    async with make_gateway_client(settings) as client:
        response = await client.get("/v1/models", headers=auth(CLAIRE))
    assert response.json()["error"]["code"] == "policy_unavailable"


async def test_an_invalid_saved_version_closes_the_gateway_rather_than_falling_back(
    gateway: httpx.AsyncClient, auth: Any, database_url: str
) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO gateway_policy_versions (version, document, author_email) VALUES (1, 'x: [', 'a')"
        )
    response = await gateway.get("/v1/models", headers=auth(CLAIRE))
    assert response.json()["error"]["code"] == "policy_unavailable"


async def test_a_service_key_is_held_to_its_scope(gateway: httpx.AsyncClient, auth: Any) -> None:
    created = await create_service_key(gateway, auth, assistants=["Relances-Factures"])
    key = {"Authorization": f"Bearer {created['key']}", "X-Ariane-Assistant": "relances-factures"}

    async def code(model: str, text: str = "Bonjour", **headers: str) -> str:
        response = await gateway.post(
            "/v1/chat/completions", json=chat_body(model, text), headers={**key, **headers}
        )
        return "ok" if response.status_code == 200 else str(response.json()["error"]["code"])

    models = await gateway.get("/v1/models", headers=key)
    assert [m["id"] for m in models.json()["data"]] == ["mistral-small-hds"]
    assert await code("mistral-small-hds") == "ok"
    assert await code(" MISTRAL-SMALL ") == "ok"  # alias and spelling resolve to the scoped model
    assert await code("mistral-medium-eu") == "model_not_allowed"
    assert await code("all-minilm-l6-v2") == "model_not_found"  # chat endpoint, embedding model
    assert await code("mistral-small-hds", **{"X-Ariane-Assistant": "coach-temps-de-travail"}) == (
        "assistant_not_allowed"
    )
    assert await code("mistral-small-hds", "Mme Durand, née le 03/02/1971") == "data_class_not_allowed"
    assert await code("mistral-small-hds", **{"X-Ariane-Data-Class": "health"}) == "data_class_not_allowed"


async def test_a_revoked_or_unknown_service_key_is_refused(gateway: httpx.AsyncClient, auth: Any) -> None:
    created = await create_service_key(gateway, auth)
    key = {"Authorization": f"Bearer {created['key']}"}
    assert (await gateway.get("/v1/models", headers=key)).status_code == 200
    revoked = await gateway.delete(f"/api/admin/gateway/service-keys/{created['id']}", headers=auth(THOMAS))
    assert revoked.json()["revoked_by"] == THOMAS
    response = await gateway.get("/v1/models", headers=key)
    assert (response.status_code, response.json()["error"]["code"]) == (401, "invalid_api_key")
    forged = await gateway.get("/v1/models", headers={"Authorization": "Bearer ariane-sk-forged"})
    assert forged.status_code == 401


async def test_service_keys_are_stored_hashed_and_listed_without_the_key(
    gateway: httpx.AsyncClient, auth: Any, database_url: str
) -> None:
    created = await create_service_key(gateway, auth, data_classes=["public"], tokens_per_day=1000)
    listed = (await gateway.get("/api/admin/gateway/service-keys", headers=auth(THOMAS))).json()
    assert [entry["name"] for entry in listed] == ["robot-facturation"]
    assert "key" not in listed[0]
    assert created["key"].startswith(listed[0]["key_prefix"])
    with psycopg.connect(database_url) as conn:
        (stored,) = conn.execute("SELECT key_hash FROM gateway_service_keys").fetchone() or (None,)
    assert created["key"].encode() not in bytes(stored)
    again = await gateway.post(
        "/api/admin/gateway/service-keys",
        json={"name": "robot-facturation", "service": "x", "models": ["mistral-small-hds"]},
        headers=auth(THOMAS),
    )
    assert (again.status_code, again.json()["error"]) == (409, "key_name_taken")
    unknown = await gateway.post(
        "/api/admin/gateway/service-keys",
        json={"name": "k2", "service": "x", "models": ["gpt-9"]},
        headers=auth(THOMAS),
    )
    assert (unknown.status_code, unknown.json()["error"]) == (400, "unknown_model")
