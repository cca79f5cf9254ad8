"""The tool servers as `ariane up` mounts them (`/mcp/<name>`), over streamable HTTP in process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import httpx2
import pytest
from fastapi import FastAPI
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from server.app import create_app
from server.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
async def ariane(settings: Settings, tenant_app: FastAPI) -> AsyncIterator[FastAPI]:
    app = create_app(settings, identity_transport=httpx.ASGITransport(app=tenant_app))
    async with app.router.lifespan_context(app):
        yield app


def http_client(app: FastAPI, token: str | None) -> httpx2.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), headers=headers, timeout=30)


async def test_a_user_calls_each_server_with_the_token_in_the_header(
    ariane: FastAPI, token_for: Callable[[str], str]
) -> None:
    token = token_for("claire.dubois@chru-exemple.fr")
    async with http_client(ariane, token) as http:
        transport = streamable_http_client("http://127.0.0.1:8000/mcp/meetings", http_client=http)
        async with Client(transport) as client:
            tools = await client.list_tools()
            result = await client.call_tool(
                "get_transcript", {"meeting": "Assemblée générale DTNIB", "limit": 1}
            )
        documents = streamable_http_client("http://127.0.0.1:8000/mcp/documents", http_client=http)
        async with Client(documents) as client:
            found = await client.call_tool("search_documents", {"query": "RIGTT astreintes", "top": 3})
    assert sorted(tool.name for tool in tools.tools) == ["get_transcript", "search_transcript"]
    assert all(tool.annotations and tool.annotations.read_only_hint for tool in tools.tools)
    assert all(tool.output_schema for tool in tools.tools)
    assert result.structured_content["cues"][0]["speaker"] == "Claire Dubois"  # type: ignore[index]
    assert found.structured_content
    assert found.structured_content["hits"]


async def test_a_request_without_user_token_is_refused_at_the_door(ariane: FastAPI) -> None:
    async with http_client(ariane, None) as http:
        response = await http.post("http://127.0.0.1:8000/mcp/calendar", json={})

    assert (response.status_code, response.json()["error"]) == (401, "not_authenticated")


async def test_a_token_of_the_local_provider_is_refused_when_another_issuer_is_configured(
    settings: Settings, tenant_app: FastAPI, token_for: Callable[[str], str]
) -> None:
    # Microsoft 365 still local (its on-behalf-of exchange would accept the local token), but Ariane's
    # issuer is another one: the local sign-in page must not open the tools to anyone.
    entra = settings.model_copy(update={"oidc_issuer": "https://login.example.org/tenant/v2.0"})
    app = create_app(entra, identity_transport=httpx.ASGITransport(app=tenant_app))
    async with (
        app.router.lifespan_context(app),
        http_client(app, token_for("claire.dubois@chru-exemple.fr")) as http,
    ):
        refused = await http.post(
            "http://127.0.0.1:8000/mcp/meetings",
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={"Accept": "application/json, text/event-stream"},
        )

    assert (refused.status_code, refused.json()["error"]) == (401, "wrong_issuer")
