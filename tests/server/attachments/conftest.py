"""Ariane in process for attachments: real PostgreSQL, local embeddings, the scripted model, offline."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from evals.scripted_model import ScriptedChatModel
from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.upstream_settings import UpstreamSettings
from tests.sse import read_events

Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def scripted_model() -> ScriptedChatModel:
    return ScriptedChatModel()


@pytest.fixture
def generative(request: pytest.FixtureRequest) -> bool:
    """Parametrise indirectly with True to configure the HDS model, answered by the scripted model."""
    return bool(getattr(request, "param", False))


@pytest.fixture
async def attachments_app(  # type: ignore[no-untyped-def]
    settings, tenant_app, knowledge_embedder, scripted_model, generative
) -> AsyncIterator[FastAPI]:
    """The app with the real agents (tools and `/v1` in process); no generative model unless asked."""
    if generative:
        upstream = UpstreamSettings(base_url="http://scripted-model.test/v1", api_key=SecretStr("sk-test"))
        settings = settings.model_copy(update={"gateway_upstreams": {"hds_vllm": upstream}})
    options = GatewayOptions(
        upstream_transport=httpx.ASGITransport(app=scripted_model.app), embedder=knowledge_embedder
    )
    app = create_app(
        settings,
        identity_transport=httpx.ASGITransport(app=tenant_app),
        gateway=options,
        agents_in_process=True,
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(attachments_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=attachments_app), base_url="http://ariane.test", timeout=180
    ) as http:
        yield http


@pytest.fixture
def as_user(token_for: Callable[[str], str]) -> Headers:
    """Authorization headers of a user (short name)."""

    def headers(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}

    return headers


async def new_thread(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    """A new conversation with the general assistant."""
    created = await client.post("/api/threads", json={}, headers=headers)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def attach(
    client: httpx.AsyncClient, headers: dict[str, str], thread: str, name: str, data: bytes
) -> httpx.Response:
    """Attach a file to a conversation."""
    return await client.post(
        f"/api/threads/{thread}/attachments", files={"file": (name, data)}, headers=headers
    )


async def ask(
    client: httpx.AsyncClient, headers: dict[str, str], thread: str, message: str
) -> dict[str, Any]:
    """Send a message in the conversation; the `done` event's data."""
    async with client.stream(
        "POST", f"/api/threads/{thread}/runs", json={"message": message}, headers=headers
    ) as response:
        assert response.status_code == 200, await response.aread()
        events = await read_events(response)
    assert events[-1]["event"] == "done", events
    return dict(events[-1]["data"])
