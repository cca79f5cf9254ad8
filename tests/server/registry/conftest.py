"""The app in process with the real registry, and fake MCP servers (files under tests/fakes)."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.upstream_settings import UpstreamSettings
from server.registry.runtime import RegistryRuntime
from tests.fakes.tool_calling_model import ToolCallingModel

LEGACY_SERVER = Path(__file__).resolve().parents[2] / "fakes" / "legacy_mcp_server.py"
TIME_SERVER = f"{sys.executable} -m mcp_server_time --local-timezone Europe/Paris"

DEVELOPER = "sophie.girard@chru-exemple.fr"
ADMIN = "thomas.roux@chru-exemple.fr"
STAFF = "claire.dubois@chru-exemple.fr"

BADGE_TOOL: dict[str, Any] = {
    "name": "lookup_badge",
    "description": "Donne l'état d'un badge d'accès à partir de son numéro.",
    "inputSchema": {"type": "object", "properties": {"badge": {"type": "string"}}, "required": ["badge"]},
    "annotations": {"readOnlyHint": True, "openWorldHint": False},
    "reply": "Badge 42 : actif",
}


@dataclass
class Registry:
    app: FastAPI
    client: httpx.AsyncClient
    headers: Callable[[str], dict[str, str]]

    @property
    def runtime(self) -> RegistryRuntime:
        runtime: RegistryRuntime = self.app.state.registry
        return runtime

    async def register(self, as_user: str = DEVELOPER, **body: Any) -> httpx.Response:
        return await self.client.post("/api/tools", json=body, headers=self.headers(as_user))

    async def approve(self, name: str, as_user: str = ADMIN) -> httpx.Response:
        return await self.client.post(f"/api/tools/{name}/approve", headers=self.headers(as_user))

    async def show(self, name: str) -> dict[str, Any]:
        response = await self.client.get(f"/api/tools/{name}", headers=self.headers(ADMIN))
        assert response.status_code == 200, response.text
        return dict(response.json())


@dataclass
class FakeServer:
    """A legacy stdio server whose tools live in a file the test may rewrite."""

    path: Path

    def write(self, tools: list[dict[str, Any]]) -> None:
        self.path.write_text(json.dumps(tools, ensure_ascii=False), encoding="utf-8")

    def command(self, *extra: str) -> str:
        return " ".join([sys.executable, str(LEGACY_SERVER), str(self.path), *extra])


@pytest.fixture
def fake_server(tmp_path: Path) -> FakeServer:
    server = FakeServer(tmp_path / "tools.json")
    server.write([BADGE_TOOL])
    return server


@pytest.fixture
def tool_model() -> ToolCallingModel:
    return ToolCallingModel()


@pytest.fixture
async def registry(settings, tenant_app, token_for, tool_model) -> AsyncIterator[Registry]:  # type: ignore[no-untyped-def]
    """Ariane with its agents in process and a tool-calling model behind the gateway (HDS model)."""
    upstream = UpstreamSettings(base_url="http://tool-model.test/v1", api_key=SecretStr("sk-test"))
    settings = settings.model_copy(
        update={"gateway_upstreams": {"hds_vllm": upstream}, "registry_connect_timeout_seconds": 5.0}
    )
    app = create_app(
        settings,
        identity_transport=httpx.ASGITransport(app=tenant_app),
        gateway=GatewayOptions(upstream_transport=httpx.ASGITransport(app=tool_model.app)),
        agents_in_process=True,
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://ariane.test", timeout=60
        ) as client:
            yield Registry(app, client, lambda email: {"Authorization": f"Bearer {token_for(email)}"})
