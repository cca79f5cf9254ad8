"""Ariane in process with its knowledge service: real PostgreSQL, real local embeddings, offline."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from server.app import create_app
from server.gateway.app import GatewayOptions

COLLECTION = "coach-temps-de-travail"


@pytest.fixture
async def knowledge_app(settings, tenant_app, knowledge_embedder) -> AsyncIterator[FastAPI]:  # type: ignore[no-untyped-def]
    """The app with its tools (documents, knowledge) reached in process."""
    app = create_app(
        settings,
        identity_transport=httpx.ASGITransport(app=tenant_app),
        gateway=GatewayOptions(embedder=knowledge_embedder),
        agents_in_process=True,
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(knowledge_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=knowledge_app), base_url="http://ariane.test", timeout=120
    ) as http:
        yield http


@pytest.fixture
def as_user(token_for: Callable[[str], str]) -> Callable[[str], dict[str, str]]:
    """Authorization headers of a user (short name)."""

    def headers(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}

    return headers


Upload = Callable[..., Any]


@pytest.fixture
def upload(client: httpx.AsyncClient, as_user: Callable[[str], dict[str, str]]) -> Upload:
    """Upload `data` as `name` into a collection as a user (default: the developer sophie.girard)."""

    async def send(
        name: str, data: bytes, collection: str = COLLECTION, user: str = "sophie.girard"
    ) -> httpx.Response:
        return await client.post(
            f"/api/knowledge/{collection}/documents", files={"file": (name, data)}, headers=as_user(user)
        )

    return send
