"""The documents server through a real MCP client session in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from mcp import Client

from tests.tools.conftest import Meta
from tools.documents.server import build_server
from tools.m365 import GraphAccess
from tools.mcp_common import ERROR_META, CallerSource

pytestmark = pytest.mark.anyio


@pytest.fixture
async def documents(graph: GraphAccess) -> AsyncIterator[Client]:
    async with Client(build_server(graph, CallerSource())) as client:
        yield client


async def test_search_hits_carry_title_site_url_snippet_and_date(documents: Client, meta_for: Meta) -> None:
    result = await documents.call_tool(
        "search_documents", {"query": "compensation des astreintes", "top": 2}, meta=meta_for("nadia.benali")
    )
    hit = result.structured_content["hits"][0]  # type: ignore[index]
    assert hit["id"] == "b!site-rh:doc-note-astreintes-2025-014"
    assert hit["site"] == "Ressources humaines"
    assert hit["url"].startswith("https://")
    assert "**" in hit["snippet"]
    assert hit["modified"]


async def test_search_within_one_site(documents: Client, meta_for: Meta) -> None:
    result = await documents.call_tool(
        "search_documents", {"query": "IA", "site": "DTNIB"}, meta=meta_for("sophie.girard")
    )
    content = result.structured_content
    assert content is not None
    assert content["hits"]
    assert {hit["site"] for hit in content["hits"]} == {content["site"]}


async def test_an_unknown_site_is_a_tool_error(documents: Client, meta_for: Meta) -> None:
    result = await documents.call_tool(
        "search_documents", {"query": "compte", "site": "Sécurité"}, meta=meta_for("claire.dubois")
    )
    assert result.is_error
    assert (result.meta or {})[ERROR_META] == "not_found"


async def test_docx_sections_are_cited_by_heading(documents: Client, meta_for: Meta) -> None:
    result = await documents.call_tool(
        "read_document", {"id": "b!site-rh:doc-note-astreintes-2025-014"}, meta=meta_for("claire.dubois")
    )
    locators = [s["locator"] for s in result.structured_content["sections"]]  # type: ignore[index]
    assert "section « 1. Objet »" in locators


async def test_an_item_with_its_own_access_list_is_hidden_from_others(
    documents: Client, meta_for: Meta
) -> None:
    item = "b!site-rh:doc-procedure-monetisation-cet"
    allowed = await documents.call_tool("read_document", {"id": item}, meta=meta_for("karim.haddad"))
    denied = await documents.call_tool("read_document", {"id": item}, meta=meta_for("claire.dubois"))
    assert not allowed.is_error
    assert (denied.meta or {})[ERROR_META] == "not_found"
