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
FIXED_NOW = "2026-11-28T10:00:00+01:00"  # the meetings eval suite's « today »


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def capture(request) -> bool:  # type: ignore[no-untyped-def]
    """Parametrise indirectly with False to turn content capture off."""
    return bool(getattr(request, "param", True))


@pytest.fixture
def audit_settings(settings, generative, capture):  # type: ignore[no-untyped-def]
    updates: dict[str, Any] = {"fixed_now": FIXED_NOW, "audit_capture_content": capture}
    if generative:
        upstream = UpstreamSettings(base_url="http://scripted-model.test/v1", api_key=SecretStr("sk-test"))
        updates["gateway_upstreams"] = {"hds_vllm": upstream, "mistral": upstream}
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
def settle(app) -> Callable[[], Any]:  # type: ignore[no-untyped-def]
    """Wait until the audit writer has written everything: the `store` connection is synchronous and
    would block the event loop while waiting for a lock held by a batch still being written."""

    async def flush() -> None:
        writer = app.state.audit.writer
        await writer.flush(since=writer.submitted)  # waits for everything; a lost batch is not ours to judge

    return flush


@pytest.fixture
def store(database_url: str):  # type: ignore[no-untyped-def]
    """A superuser's connection to the test database, bypassing the append-only triggers at will."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def headers(token_for: Callable[[str], str]) -> Callable[[str], dict[str, str]]:
    def make(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}

    return make


@pytest.fixture
def ask(
    ariane: httpx.AsyncClient, headers: Callable[[str], dict[str, str]], settle: Callable[[], Any]
) -> Callable[..., Any]:
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
        await settle()
        return run

    return send
