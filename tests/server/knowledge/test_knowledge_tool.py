"""The knowledge MCP server with a real client session: in memory, and mounted at `/mcp/knowledge`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import httpx2
import pytest
from fastapi import FastAPI
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import TextContent

from tests.server.knowledge.conftest import COLLECTION
from tools.knowledge.client import KnowledgeApi
from tools.knowledge.server import build_server
from tools.mcp_common import ERROR_META, LANGUAGE_META, USER_TOKEN_META, CallerSource

pytestmark = pytest.mark.anyio
DOCUMENTS = Path(__file__).resolve().parents[3] / "tools" / "tenant" / "data" / "documents"


@pytest.fixture
async def knowledge(knowledge_app: FastAPI, upload) -> AsyncIterator[Client]:  # type: ignore[no-untyped-def]
    """An in-memory session to the server, which calls the app's API in process."""
    await upload("rigtt.pdf", (DOCUMENTS / "rigtt.pdf").read_bytes())
    api = KnowledgeApi("http://ariane.test", transport=httpx.ASGITransport(app=knowledge_app))
    async with Client(build_server(api, CallerSource())) as client:
        yield client
    await api.aclose()


async def test_search_knowledge_returns_cited_passages_as_the_user(knowledge: Client, token_for) -> None:
    meta = {USER_TOKEN_META: token_for("nadia.benali@chru-exemple.fr")}

    tools = await knowledge.list_tools()
    result = await knowledge.call_tool(
        "search_knowledge", {"query": "travail de nuit", "collection": COLLECTION, "top": 3}, meta=meta
    )

    [tool] = tools.tools
    assert tool.name == "search_knowledge"
    assert tool.annotations is not None
    assert tool.annotations.read_only_hint
    assert set(tool.input_schema["required"]) == {"query", "collection"}
    assert tool.output_schema is not None
    assert not result.is_error
    passages = result.structured_content["passages"]  # type: ignore[index]
    assert len(passages) == 3
    assert passages[0]["title"] == "rigtt"
    assert passages[0]["locator"] == "page 7"


@pytest.mark.parametrize(
    ("arguments", "user", "code"),
    [
        ({"query": "nuit", "collection": "ariane"}, "nadia.benali", None),
        ({"query": "nuit", "collection": "inconnue-mais-valide"}, "nadia.benali", "not_found"),
        ({"query": "  ", "collection": COLLECTION}, "nadia.benali", "bad_request"),
        ({"query": "nuit", "collection": COLLECTION, "top": 500}, "nadia.benali", "bad_request"),
        ({"query": "nuit", "collection": COLLECTION}, None, "unauthenticated"),
    ],
)
async def test_failures_are_french_tool_errors(knowledge: Client, token_for, arguments, user, code) -> None:
    meta = {USER_TOKEN_META: token_for(f"{user}@chru-exemple.fr")} if user else None

    result = await knowledge.call_tool("search_knowledge", arguments, meta=meta)

    if code is None:  # an assistant with no documents: no passages, no error
        assert (result.is_error, result.structured_content["passages"]) == (False, [])  # type: ignore[index]
    else:
        assert result.is_error
        assert (result.meta or {}).get(ERROR_META) == code


async def test_failures_are_in_english_when_the_run_is_and_in_french_otherwise(
    knowledge: Client, token_for
) -> None:
    unknown = {"query": "nuit", "collection": "inconnue-mais-valide"}
    empty = {"query": "  ", "collection": COLLECTION}
    said = {}
    for language in ("fr", "en"):
        meta = {USER_TOKEN_META: token_for("nadia.benali@chru-exemple.fr")}
        meta |= {LANGUAGE_META: language} if language == "en" else {}
        for name, arguments in (("unknown", unknown), ("empty", empty)):
            result = await knowledge.call_tool("search_knowledge", arguments, meta=meta)
            [content] = result.content
            assert isinstance(content, TextContent)
            said[name, language] = ((result.meta or {}).get(ERROR_META), content.text)

    # The unknown collection is the knowledge API's own refusal, asked in the run's language.
    assert said == {
        ("unknown", "fr"): ("not_found", "Cette base de connaissances n'existe pas."),
        ("unknown", "en"): ("not_found", "This knowledge base does not exist."),
        ("empty", "fr"): ("bad_request", "Indiquez la question à chercher dans les documents."),
        ("empty", "en"): ("bad_request", "Give the question to look for in the documents."),
    }


async def test_the_mounted_server_answers_over_streamable_http(
    knowledge_app: FastAPI, upload, token_for
) -> None:
    await upload("rigtt.pdf", (DOCUMENTS / "rigtt.pdf").read_bytes())
    headers = {"Authorization": f"Bearer {token_for('karim.haddad@chru-exemple.fr')}"}

    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=knowledge_app), headers=headers) as http:
        transport = streamable_http_client("http://127.0.0.1:8000/mcp/knowledge", http_client=http)
        async with Client(transport) as client:
            result = await client.call_tool(
                "search_knowledge", {"query": "plafond du CET en jours", "collection": COLLECTION}
            )

    assert not result.is_error
    assert any("60 jours" in p["text"] for p in result.structured_content["passages"])  # type: ignore[index]
