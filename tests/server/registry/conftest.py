"""The app in process with the real registry, and fake MCP servers (files under tests/fakes)."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.upstream_settings import UpstreamSettings
from server.registry.launch import AllowedCommand
from server.registry.runtime import RegistryRuntime
from tests.fakes.tool_calling_model import ToolCallingModel

LEGACY_SERVER = Path(__file__).resolve().parents[2] / "fakes" / "legacy_mcp_server.py"
TIME_SERVER: dict[str, Any] = {
    "package": "mcp-server-time",
    "version": metadata.version("mcp-server-time"),
    "args": ["--local-timezone", "Europe/Paris"],
}
"""The MCP project's reference time server, declared by package and version (a test dependency)."""
LEGACY_COMMAND = "legacy-badges"

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
        # Declared for internal data unless a test says otherwise: a run of the general assistant is
        # internal from the start, and sends nothing to a server declared for less.
        body.setdefault("data_class", "internal")
        return await self.client.post("/api/tools", json=body, headers=self.headers(as_user))

    async def inspect(self, name: str, as_user: str = ADMIN) -> httpx.Response:
        return await self.client.post(f"/api/tools/{name}/inspect", headers=self.headers(as_user))

    async def approve(
        self, name: str, as_user: str = ADMIN, *, read_only: tuple[str, ...] = ()
    ) -> httpx.Response:
        """Inspect the server first when nobody has yet, then approve it with `read_only` tools."""
        shown = await self.client.get(f"/api/tools/{name}", headers=self.headers(as_user))
        if shown.status_code == 200 and shown.json()["inspected_at"] is None:
            inspected = await self.inspect(name, as_user)
            if inspected.status_code != 200:
                return inspected
        review = {"tools": {tool: {"read_only": True, "destructive": False} for tool in read_only}}
        return await self.client.post(
            f"/api/tools/{name}/approve", json=review, headers=self.headers(as_user)
        )

    async def show(self, name: str) -> dict[str, Any]:
        response = await self.client.get(f"/api/tools/{name}", headers=self.headers(ADMIN))
        assert response.status_code == 200, response.text
        return dict(response.json())


@dataclass
class FakeServer:
    """A legacy stdio server whose tools live in a file the test may rewrite.

    It is the administrators' allow-listed command `legacy-badges`; the sandbox mounts its script's
    folder read-only and the test's folder writable (opened to the sandbox's own user).
    """

    path: Path

    def write(self, tools: list[dict[str, Any]]) -> None:
        self.path.write_text(json.dumps(tools, ensure_ascii=False), encoding="utf-8")
        self.path.chmod(0o644)

    def declaration(self, *extra: str) -> dict[str, Any]:
        return {"command": LEGACY_COMMAND, "args": [str(self.path), *extra]}

    def allowed(self) -> dict[str, AllowedCommand]:
        return {
            LEGACY_COMMAND: AllowedCommand(
                argv=[sys.executable, str(LEGACY_SERVER)],
                paths=[str(LEGACY_SERVER.parent)],
                writable=[str(self.path.parent)],
            )
        }


def readable_by_anyone(path: Path, root: Path) -> None:
    """Let the sandbox's own user reach `path` (pytest makes its temporary folders private)."""
    for folder in [path, *path.parents]:
        folder.chmod(folder.stat().st_mode | 0o755)
        if folder == root:
            break


@pytest.fixture
def fake_server(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> FakeServer:
    folder = tmp_path / "badges"
    folder.mkdir()
    readable_by_anyone(folder, tmp_path_factory.getbasetemp())
    folder.chmod(0o777)  # the calls log of a test is written from inside the sandbox
    server = FakeServer(folder / "tools.json")
    server.write([BADGE_TOOL])
    return server


@pytest.fixture
def tool_model() -> ToolCallingModel:
    return ToolCallingModel()


@pytest.fixture
async def registry(settings, tenant_app, token_for, tool_model, fake_server) -> AsyncIterator[Registry]:  # type: ignore[no-untyped-def]
    """Ariane with its agents in process and a tool-calling model behind the gateway (HDS model)."""
    upstream = UpstreamSettings(base_url="http://tool-model.test/v1", api_key=SecretStr("sk-test"))
    settings = settings.model_copy(
        update={
            "gateway_upstreams": {"hds_vllm": upstream},
            "registry_connect_timeout_seconds": 5.0,
            "registry_commands": fake_server.allowed(),
        }
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
