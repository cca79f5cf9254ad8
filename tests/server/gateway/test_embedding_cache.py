"""The local model reads each text once: replicas share its vectors through PostgreSQL, by text digest."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import numpy as np
import psycopg
import pytest

from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.embeddings import Embedded, LocalEmbedder
from server.settings import Settings
from tests.server.gateway.conftest import CLAIRE, INES

pytestmark = pytest.mark.anyio


class CountingEmbedderFake(LocalEmbedder):
    """The real model, counting the texts it is given (a fake only in that it counts)."""

    def __init__(self, real: LocalEmbedder) -> None:
        self.real = real
        self.read: list[str] = []

    @property
    def loaded(self) -> bool:
        return True

    async def embed(self, texts: list[str]) -> Embedded:
        self.read.extend(texts)
        return await self.real.embed(texts)


@asynccontextmanager
async def replica(
    settings: Settings, tenant_app: Any, embedder: LocalEmbedder
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings,
        identity_transport=httpx.ASGITransport(app=tenant_app),
        gateway=GatewayOptions(embedder=embedder),
    )
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://x.test"
        ) as client:
            yield client


async def embed(client: httpx.AsyncClient, token: str, texts: list[str]) -> dict[str, Any]:
    response = await client.post(
        "/v1/embeddings",
        json={"model": "all-minilm-l6-v2", "input": texts, "encoding_format": "base64"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def vectors(body: dict[str, Any]) -> list[bytes]:
    return [base64.b64decode(row["embedding"]) for row in sorted(body["data"], key=lambda row: row["index"])]


async def test_a_text_is_embedded_once_and_every_replica_reads_it_back_identical(
    settings: Settings, tenant_app: Any, token_for: Any, embedder: LocalEmbedder
) -> None:
    first_model, second_model = CountingEmbedderFake(embedder), CountingEmbedderFake(embedder)
    cues = ["Nous ouvrons la séance à neuf heures.", "Le budget 2026 est en hausse de 4 %.", "Merci à tous."]
    async with replica(settings, tenant_app, first_model) as first:
        before = await embed(first, token_for(CLAIRE), cues)
        again = await embed(first, token_for(INES), [cues[1], cues[1]])
    async with replica(settings, tenant_app, second_model) as second:
        after = await embed(second, token_for(CLAIRE), [*cues, "Une phrase jamais lue."])

    assert first_model.read == cues  # the same texts again, by another user, were not read again
    assert second_model.read == ["Une phrase jamais lue."]  # the other replica read only the new one
    assert vectors(after)[:3] == vectors(before)  # byte for byte
    assert vectors(again) == [vectors(before)[1]] * 2
    assert after["usage"]["prompt_tokens"] > before["usage"]["prompt_tokens"]  # tokens of hits are metered
    fresh = await embedder.embed(["Une phrase jamais lue.", cues[0]])
    assert np.allclose(np.frombuffer(vectors(after)[3], dtype="<f4"), fresh.vectors[0], atol=1e-6)
    assert after["usage"]["prompt_tokens"] - before["usage"]["prompt_tokens"] == fresh.counts[0]


async def test_vectors_older_than_the_retention_are_deleted_and_computed_again(
    settings: Settings, tenant_app: Any, token_for: Any, embedder: LocalEmbedder, database_url: str
) -> None:
    model = CountingEmbedderFake(embedder)
    async with replica(settings, tenant_app, model) as client:
        await embed(client, token_for(CLAIRE), ["Astreinte de nuit"])
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE embedding_cache SET created_at = now() - interval '31 days'")
    async with replica(settings, tenant_app, model) as client:
        await embed(client, token_for(CLAIRE), ["Récupération du temps de travail"])  # stores, expires
        await embed(client, token_for(CLAIRE), ["Astreinte de nuit"])
    assert model.read == ["Astreinte de nuit", "Récupération du temps de travail", "Astreinte de nuit"]


async def test_without_the_cache_every_request_runs_the_model(
    settings: Settings, tenant_app: Any, token_for: Any, embedder: LocalEmbedder, database_url: str
) -> None:
    model = CountingEmbedderFake(embedder)
    uncached = settings.model_copy(update={"gateway_embedding_cache_days": 0})
    async with replica(uncached, tenant_app, model) as client:
        await embed(client, token_for(CLAIRE), ["Astreinte de nuit"])
        await embed(client, token_for(CLAIRE), ["Astreinte de nuit"])
    assert model.read == ["Astreinte de nuit"] * 2
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM embedding_cache").fetchone() == (0,)
