"""The meetings server through a real MCP client session in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from mcp import Client
from mcp.types import CallToolResult, TextContent

from tests.tools.conftest import Meta
from tools.m365 import GraphAccess
from tools.mcp_common import ERROR_META, CallerSource
from tools.meetings.server import build_server

pytestmark = pytest.mark.anyio
AG = "evt-ag-dtnib-2025-06-19"


@pytest.fixture
async def meetings(graph: GraphAccess) -> AsyncIterator[Client]:
    async with Client(build_server(graph, CallerSource())) as client:
        yield client


async def test_long_transcripts_are_read_page_by_page(meetings: Client, meta_for: Meta) -> None:
    meta, cues, offset = meta_for("julien.perrin"), [], 0
    while offset is not None:
        result = await meetings.call_tool(
            "get_transcript", {"meeting": AG, "offset": offset, "limit": 60}, meta=meta
        )
        page = result.structured_content
        assert page is not None
        cues += page["cues"]
        offset = page["next_offset"]
    assert len(cues) == page["total_cues"] > 100
    assert len({c["id"] for c in cues}) == len(cues)
    assert all(c["speaker"] in page["speakers"] for c in cues)


async def test_graph_short_timestamps_are_read(meetings: Client, meta_for: Meta) -> None:
    result = await meetings.call_tool(
        "get_transcript", {"meeting": "evt-codir-2025-06-16", "limit": 1}, meta=meta_for("helene.marchal")
    )
    assert result.structured_content["cues"][0]["start"].startswith("00:00:")  # type: ignore[index]


async def test_search_by_words_and_speaker(meetings: Client, meta_for: Meta) -> None:
    result = await meetings.call_tool(
        "search_transcript",
        {"meeting": "AG DTNIB", "query": "", "speaker": "helene marchal"},
        meta=meta_for("claire.dubois"),
    )
    found = result.structured_content
    assert found is not None
    assert found["total_hits"] > 5
    assert {hit["cue"]["speaker"] for hit in found["hits"]} == {"Hélène Marchal"}


async def test_an_absent_speaker_lists_who_spoke(meetings: Client, meta_for: Meta) -> None:
    result = await meetings.call_tool(
        "search_transcript",
        {"meeting": AG, "query": "budget", "speaker": "Karim Haddad"},
        meta=meta_for("claire.dubois"),
    )
    assert result.is_error
    assert "Hélène Marchal" in result.content[0].text


async def test_a_refusal_is_in_english_when_the_run_is_and_in_french_otherwise(
    meetings: Client, meta_for: Meta
) -> None:
    untranscribed = {"meeting": "evt-point-facturation-2026-11-24"}
    refusals = [
        await meetings.call_tool(
            "get_transcript", untranscribed, meta=meta_for("marc.lefevre", language=language)
        )
        for language in (None, "en")
    ]

    assert [(result.meta or {}).get(ERROR_META) for result in refusals] == ["not_transcribed"] * 2
    assert [_text(result) for result in refusals] == [
        "La réunion « Point facturation des actes » du 24/11/2026 n'a pas été transcrite.",
        "Meeting « Point facturation des actes » of 24/11/2026 was not transcribed.",
    ]


async def test_an_absent_speaker_is_reported_in_the_language_of_the_run(
    meetings: Client, meta_for: Meta
) -> None:
    args = {"meeting": AG, "query": "budget", "speaker": "Karim Haddad"}
    result = await meetings.call_tool(
        "search_transcript", args, meta=meta_for("claire.dubois", language="en")
    )

    assert (result.meta or {}).get(ERROR_META) == "not_found"
    assert _text(result) == (
        "« Karim Haddad » does not speak in this meeting. "
        "Speakers: Claire Dubois, Hélène Marchal, Julien Perrin, Paul Henry, Sophie Girard, Thomas Roux."
    )


def _text(result: CallToolResult) -> str:
    [content] = result.content
    assert isinstance(content, TextContent)
    return content.text
