"""The API image carries no embedding model: its gateway sends the local model to the gateway that runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.embeddings import Embedded, LocalEmbedder
from server.gateway.standalone import create_gateway_app
from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from tests.server.gateway.conftest import INES, THOMAS

pytestmark = pytest.mark.anyio

TEXTS = ["Astreinte de nuit", "Planning du bloc opératoire"]


class FakeAbsentEmbedder(LocalEmbedder):
    """Stands for an image without torch: any local embedding is a test failure."""

    @property
    def loaded(self) -> bool:
        return True  # nothing to preload

    async def embed(self, texts: list[str]) -> Embedded:
        raise AssertionError("the API replica embedded locally")


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://x.test"
        ) as client:
            yield client


async def test_an_api_replica_embeds_through_the_embedder_gateway_with_a_service_key(
    settings: Settings, tenant_app: Any, token_for: Any, embedder: LocalEmbedder
) -> None:
    identity = httpx.ASGITransport(app=tenant_app)
    gateway_app = create_gateway_app(
        settings, identity_transport=identity, options=GatewayOptions(embedder=embedder)
    )
    admin = {"Authorization": f"Bearer {token_for(THOMAS)}"}
    user = {"Authorization": f"Bearer {token_for(INES)}"}
    async with running(gateway_app) as embedder_gateway:
        # What the operator does once: a service key the API replicas present to the embedder gateway.
        async with running(create_app(settings, identity_transport=identity)) as setup:
            created = await setup.post(
                "/api/admin/gateway/service-keys",
                json={
                    "name": "api-replicas",
                    "service": "ariane-api",
                    "models": ["all-minilm-l6-v2"],
                    "data_classes": ["public", "internal", "personal", "health"],
                },
                headers=admin,
            )
            assert created.status_code == 201, created.text
        upstream = UpstreamSettings(
            base_url="http://embedder.test/v1", api_key=SecretStr(created.json()["key"])
        )
        replica_settings = settings.model_copy(update={"gateway_upstreams": {"local": upstream}})
        options = GatewayOptions(
            upstream_transport=httpx.ASGITransport(app=gateway_app), embedder=FakeAbsentEmbedder()
        )
        replica = create_app(replica_settings, identity_transport=identity, gateway=options)
        async with running(replica) as api:
            forwarded = await api.post(
                "/v1/embeddings",
                json={"model": "all-minilm-l6-v2", "input": TEXTS, "encoding_format": "float"},
                headers=user,
            )
        direct = await embedder_gateway.post(
            "/v1/embeddings",
            json={"model": "all-minilm-l6-v2", "input": TEXTS, "encoding_format": "float"},
            headers=user,
        )
    assert forwarded.status_code == 200, forwarded.text
    vectors = [item["embedding"] for item in forwarded.json()["data"]]
    assert [len(vector) for vector in vectors] == [384, 384]
    assert vectors == [item["embedding"] for item in direct.json()["data"]]
