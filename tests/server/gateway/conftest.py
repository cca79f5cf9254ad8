"""The gateway in process, against the fake OpenAI-compatible upstream, with spans in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pydantic import SecretStr

from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.embeddings import LocalEmbedder
from server.gateway.upstream_settings import UpstreamSettings
from server.settings import Settings
from tests.fakes.openai_upstream import FakeOpenAIUpstream

POLICY = Path(__file__).resolve().parents[3] / "server" / "gateway" / "policy.yaml"
UPSTREAM = "http://upstream.test"
UPSTREAM_KEY = "sk-upstream-secret"
CONFIGURED = ("hds_vllm", "mistral", "azure_fr", "openai")

CLAIRE = "claire.dubois@chru-exemple.fr"  # staff
INES = "ines.moreau@chru-exemple.fr"  # staff + health_data
THOMAS = "thomas.roux@chru-exemple.fr"  # staff + ai_admin
ANNE = "anne.lambert@chru-exemple.fr"  # auditor only


# Assistants the example policy declares, stored as the Assistants API would (the gateway only
# honours an assistant named in a request when it is stored and the caller may use it).
POLICY_ASSISTANTS = {"veille-technologique": "public", "courriers-patients": "health"}


def store_assistant(database_url: str, assistant_id: str, data_class: str, **fields: Any) -> None:
    """Store an assistant (version 1) straight in the database, for gateway tests."""
    columns = {"name": assistant_id, "data_class": data_class, **fields}
    names = ", ".join(columns)
    marks = ", ".join(["%s"] * len(columns))
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("INSERT INTO assistants (id) VALUES (%s)", (assistant_id,))
        conn.execute(
            f"INSERT INTO assistant_versions (assistant_id, version, {names}) VALUES (%s, 1, {marks})",
            (assistant_id, *columns.values()),
        )


@pytest.fixture(autouse=True)
def _policy_assistants(database_url: str) -> None:
    for assistant_id, data_class in POLICY_ASSISTANTS.items():
        store_assistant(database_url, assistant_id, data_class)


@pytest.fixture(scope="session")
def embedder() -> Iterator[LocalEmbedder]:
    """The real local model, loaded at most once per test session (lazily, on first use)."""
    model = LocalEmbedder(threads=1)
    yield model
    model.close()


@pytest.fixture
def upstream() -> FakeOpenAIUpstream:
    return FakeOpenAIUpstream()


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def gateway_settings(settings: Settings) -> Settings:
    upstreams = {
        name: UpstreamSettings(
            base_url=f"{UPSTREAM}/v1" if name != "azure_fr" else UPSTREAM, api_key=SecretStr(UPSTREAM_KEY)
        )
        for name in CONFIGURED
    }
    return settings.model_copy(
        update={
            "gateway_upstreams": upstreams,
            "gateway_retry_backoff_seconds": 0.0,
            "gateway_policy_refresh_seconds": 0.0,
        }
    )


@pytest.fixture
def make_gateway_client(
    tenant_app: Any, upstream: FakeOpenAIUpstream, spans: InMemorySpanExporter, embedder: LocalEmbedder
) -> Callable[[Settings], Any]:
    """Start the app with given settings; yields an httpx client on it (an async context manager)."""
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))

    def make(settings: Settings, *, over_http: bool = False) -> Any:
        # over_http: the gateway's own transport, to the URLs the settings give (a loopback upstream).
        options = GatewayOptions(
            upstream_transport=None if over_http else httpx.ASGITransport(app=upstream.app),
            tracer_provider=provider,
            embedder=embedder,
        )
        app = create_app(settings, identity_transport=httpx.ASGITransport(app=tenant_app), gateway=options)

        class _Running:
            async def __aenter__(self) -> httpx.AsyncClient:
                self._lifespan = app.router.lifespan_context(app)
                await self._lifespan.__aenter__()
                self._client = httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://ariane.test"
                )
                self.app = app
                return self._client

            async def __aexit__(self, *exc: object) -> None:
                await self._client.aclose()
                await self._lifespan.__aexit__(None, None, None)

        return _Running()

    return make


@pytest.fixture
async def gateway(
    gateway_settings: Settings, make_gateway_client: Callable[[Settings], Any]
) -> AsyncIterator[httpx.AsyncClient]:
    """Ariane in process with every example provider pointed at the fake upstream."""
    async with make_gateway_client(gateway_settings) as client:
        yield client


@pytest.fixture
def auth(token_for: Callable[[str], str]) -> Callable[..., dict[str, str]]:
    def headers(email: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(email)}", **extra}

    return headers


def chat_body(model: str, text: str = "Bonjour", **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


def with_policy(settings: Settings, tmp_path: Path, *changes: tuple[str, str]) -> Settings:
    """Settings whose policy file is the example policy with `changes` (old, new) made to its text."""
    text = POLICY.read_text()
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return settings.model_copy(update={"gateway_policy_file": path})


async def create_service_key(gateway: httpx.AsyncClient, auth: Any, **fields: Any) -> dict[str, Any]:
    """A service key made by an AI administrator (the key itself in `key`)."""
    body = {
        "name": "robot-facturation",
        "service": "Direction des finances",
        "models": ["mistral-small-hds"],
        **fields,
    }
    response = await gateway.post("/api/admin/gateway/service-keys", json=body, headers=auth(THOMAS))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created
