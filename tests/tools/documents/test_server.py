"""The documents server through a real MCP client session in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from mcp import Client
from mcp.types import CallToolResult, TextContent

from tests.tools.conftest import Meta, local_settings
from tools.doctext import Section
from tools.doctext.settings import ReadingSettings
from tools.documents.parsed import ParsedDocuments
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
    assert hit["modified"] == "2025-05-12T14:05:00Z"  # the library's date, as the schema writes dates
    assert hit["rank"] == 1


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


class CountingTenantTransportFake(httpx.ASGITransport):
    """The tenant in process, counting the file downloads (`…/content`) it serves."""

    downloads = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/content"):
            self.downloads += 1
        return await super().handle_async_request(request)


@pytest.fixture
async def counted(tenant_app: FastAPI) -> AsyncIterator[tuple[Client, CountingTenantTransportFake]]:
    transport = CountingTenantTransportFake(app=tenant_app)
    graph = GraphAccess(local_settings(), transport=transport)
    try:
        async with Client(build_server(graph, CallerSource())) as client:
            yield client, transport
    finally:
        await graph.aclose()


async def test_a_document_read_again_is_not_downloaded_again(counted, meta_for: Meta) -> None:
    documents, tenant = counted
    item = {"id": "b!site-rh:doc-note-astreintes-2025-014"}

    first = await documents.call_tool("read_document", item, meta=meta_for("claire.dubois"))
    again = await documents.call_tool("read_document", item, meta=meta_for("nadia.benali"))

    assert not first.is_error
    assert again.structured_content == first.structured_content
    assert tenant.downloads == 1


async def test_a_document_kept_from_another_s_read_stays_hidden_from_who_may_not_open_it(
    counted, meta_for: Meta
) -> None:
    documents, tenant = counted
    item = {"id": "b!site-rh:doc-procedure-monetisation-cet"}

    allowed = await documents.call_tool("read_document", item, meta=meta_for("karim.haddad"))
    denied = await documents.call_tool("read_document", item, meta=meta_for("claire.dubois"))

    assert not allowed.is_error
    assert (denied.meta or {})[ERROR_META] == "not_found"
    assert denied.structured_content is None
    assert tenant.downloads == 1


async def test_a_document_whose_reading_runs_past_its_limits_is_refused_and_the_server_still_answers(
    graph: GraphAccess, meta_for: Meta
) -> None:
    tight = ReadingSettings(timeout_seconds=0.01)  # the reader is killed before it has read anything
    item = {"id": "b!site-rh:doc-note-astreintes-2025-014"}
    async with Client(build_server(graph, CallerSource(), tight)) as documents:
        refusals = [
            await documents.call_tool(
                "read_document", item, meta=meta_for("claire.dubois", language=language)
            )
            for language in (None, "en")
        ]
        search = await documents.call_tool(
            "search_documents", {"query": "astreintes", "top": 1}, meta=meta_for("claire.dubois")
        )

    assert [(result.meta or {}).get(ERROR_META) for result in refusals] == ["document_too_complex"] * 2
    assert [result.structured_content for result in refusals] == [None, None]
    name = "Note de service DRH 2025-014 — Compensation des astreintes.docx"
    assert [_text(result) for result in refusals] == [
        f"« {name} » est trop lourd ou trop complexe à lire : sa lecture dépasse les limites de mémoire"
        " ou de temps du serveur. Ouvrez-le dans SharePoint.",
        f"« {name} » is too heavy or too complex to read: reading it exceeds the server's memory or time"
        " limits. Open it in SharePoint.",
    ]
    assert not search.is_error


async def test_a_document_is_read_within_the_limits_it_was_built_with(
    graph: GraphAccess, meta_for: Meta
) -> None:
    item = {"id": "b!site-rh:doc-note-astreintes-2025-014"}
    async with Client(build_server(graph, CallerSource(), ReadingSettings())) as documents:
        result = await documents.call_tool("read_document", item, meta=meta_for("claire.dubois"))

    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["sections"]


def test_kept_sections_are_bounded_by_count_and_by_size() -> None:
    kept = ParsedDocuments(documents=2, characters=10)
    page = [Section(locator="page 1", text="abcd")]
    kept.put(("d", "a", "v1"), page)
    kept.put(("d", "b", "v1"), page)
    kept.put(("d", "c", "v1"), page)  # a third: the oldest goes
    kept.put(("d", "e", "v1"), [Section(locator="page 1", text="x" * 11)])  # larger than the bound

    assert (kept.get(("d", "a", "v1")), kept.get(("d", "e", "v1"))) == (None, None)
    assert kept.get(("d", "c", "v1")) == page
    assert kept.get(("d", "c", "v2")) is None  # another version of the file is read anew
    assert len(kept) == 2


async def test_a_refusal_is_in_english_when_the_run_is_and_in_french_otherwise(
    documents: Client, meta_for: Meta
) -> None:
    args = {"query": "astreinte", "site": "Cuisine centrale"}
    refusals = [
        await documents.call_tool("search_documents", args, meta=meta_for("claire.dubois", language=language))
        for language in (None, "en")
    ]

    assert [(result.meta or {}).get(ERROR_META) for result in refusals] == ["not_found"] * 2
    assert [_text(result) for result in refusals] == [
        "Site « Cuisine centrale » introuvable parmi ceux auxquels vous avez accès.",
        "Site « Cuisine centrale » not found among those you have access to.",
    ]


async def test_a_hidden_document_is_reported_missing_in_the_language_of_the_run(
    documents: Client, meta_for: Meta
) -> None:
    hidden = {"id": "b!site-direction:doc-rapport-financier-2026-09"}
    result = await documents.call_tool("read_document", hidden, meta=meta_for("claire.dubois", language="en"))

    assert (result.meta or {}).get(ERROR_META) == "not_found"
    assert _text(result) == "Not found: this document does not exist or is not accessible to you."


def _text(result: CallToolResult) -> str:
    [content] = result.content
    assert isinstance(content, TextContent)
    return content.text
