"""Ariane in process with the real agents and the audit trail, spans also captured in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pydantic import SecretStr

from server.app import create_app
from server.audit.runtime import TelemetryOptions
from server.gateway.app import GatewayOptions
from server.gateway.upstream_settings import UpstreamSettings
from tests.agents.conftest import generative, scripted_model, shared_embedder
from tests.sse import read_events

__all__ = ["generative", "scripted_model", "shared_embedder"]

REFERENCE = "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 4 points"
FIXED_NOW = "2025-06-23T10:00:00+02:00"


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def audit_settings(settings, generative):  # type: ignore[no-untyped-def]
    updates: dict[str, Any] = {"fixed_now": FIXED_NOW}
    if generative:
        upstream = UpstreamSettings(base_url="http://scripted-model.test/v1", api_key=SecretStr("sk-test"))
        updates["gateway_upstreams"] = {"hds_vllm": upstream}
    return settings.model_copy(update=updates)


@pytest.fixture
async def app(audit_settings, tenant_app, shared_embedder, scripted_model, spans) -> AsyncIterator[Any]:  # type: ignore[no-untyped-def]
    options = GatewayOptions(
        upstream_transport=httpx.ASGITransport(app=scripted_model.app), embedder=shared_embedder
    )
    app = create_app(
        audit_settings,
        identity_transport=httpx.ASGITransport(app=tenant_app),
        gateway=options,
        agents_in_process=True,
        telemetry=TelemetryOptions(processors=(SimpleSpanProcessor(spans),)),
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def ariane(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://ariane.test", timeout=120
    ) as client:
        yield client


@pytest.fixture
def headers(token_for: Callable[[str], str]) -> Callable[[str], dict[str, str]]:
    def make(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}

    return make


@pytest.fixture
def ask(ariane: httpx.AsyncClient, headers: Callable[[str], dict[str, str]]) -> Callable[..., Any]:
    """Send one message as a user (short name) in a new thread; returns the run."""

    async def send(user: str, message: str = REFERENCE) -> dict[str, Any]:
        thread = (await ariane.post("/api/threads", json={}, headers=headers(user))).json()["id"]
        async with ariane.stream(
            "POST", f"/api/threads/{thread}/runs", json={"message": message}, headers=headers(user)
        ) as response:
            events = await read_events(response)
            run_id = response.headers["x-ariane-run-id"]
        run = (await ariane.get(f"/api/runs/{run_id}", headers=headers(user))).json()
        run["events"] = events
        return run

    return send
