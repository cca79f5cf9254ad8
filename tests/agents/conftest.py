"""Ariane in process with the real agents: tools over MCP, models through the gateway, offline."""

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
from server.gateway.embeddings import LocalEmbedder
from server.gateway.upstream_settings import UpstreamSettings
from tests.sse import read_events


@pytest.fixture(scope="session")
def shared_embedder(knowledge_embedder: LocalEmbedder) -> LocalEmbedder:
    return knowledge_embedder


@pytest.fixture
def scripted_model() -> ScriptedChatModel:
    return ScriptedChatModel()


@pytest.fixture
def generative(request) -> bool:
    """Parametrise indirectly with True to configure the HDS model, answered by the scripted model."""
    return bool(getattr(request, "param", False))


@pytest.fixture
async def ariane_app(
    settings, tenant_app, shared_embedder, scripted_model, generative
) -> AsyncIterator[FastAPI]:
    """The app with its agents reaching `/v1` and `/mcp` in process; no generative model unless asked."""
    if generative:
        upstream = UpstreamSettings(base_url="http://scripted-model.test/v1", api_key=SecretStr("sk-test"))
        settings = settings.model_copy(update={"gateway_upstreams": {"hds_vllm": upstream}})
    options = GatewayOptions(
        upstream_transport=httpx.ASGITransport(app=scripted_model.app), embedder=shared_embedder
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
async def ariane(ariane_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `ariane_app`."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=ariane_app), base_url="http://ariane.test", timeout=120
    ) as client:
        yield client


Ask = Callable[..., Any]


@pytest.fixture
def ask(ariane: httpx.AsyncClient, token_for: Callable[[str], str]) -> Ask:
    """Send one message as a user (short name) in a new thread; returns (events, run)."""

    async def send(user: str, message: str, **body: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        headers = {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}
        thread = (await ariane.post("/api/threads", json={}, headers=headers)).json()["id"]
        async with ariane.stream(
            "POST", f"/api/threads/{thread}/runs", json={"message": message, **body}, headers=headers
        ) as response:
            events = await read_events(response)
            run_id = response.headers["x-ariane-run-id"]
        run = (await ariane.get(f"/api/runs/{run_id}", headers=headers)).json()
        run["events"] = events
        return events, run

    return send
