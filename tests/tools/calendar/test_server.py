"""The calendar server through a real MCP client session in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from mcp import Client
from mcp.types import CallToolResult, TextContent

from tests.tools.conftest import Meta, local_settings
from tools.calendar.server import build_server
from tools.m365 import GraphAccess
from tools.mcp_common import ERROR_META, LANGUAGE_META, CallerSource

pytestmark = pytest.mark.anyio


@pytest.fixture
async def calendar(graph: GraphAccess) -> AsyncIterator[Client]:
    async with Client(build_server(graph, CallerSource())) as client:
        yield client


async def test_tools_declare_schemas_and_read_only_hints(calendar: Client) -> None:
    tools = {tool.name: tool for tool in (await calendar.list_tools()).tools}
    assert sorted(tools) == ["find_meeting", "get_event", "list_events"]
    for tool in tools.values():
        assert tool.output_schema
        assert tool.input_schema["type"] == "object"
        assert tool.annotations
        assert tool.annotations.read_only_hint
        assert not tool.annotations.destructive_hint
        assert tool.description
        assert len(tool.description) > 60


async def test_list_events_between_french_bounds(calendar: Client, meta_for: Meta) -> None:
    result = await calendar.call_tool(
        "list_events", {"start": "lundi", "end": "vendredi"}, meta=meta_for("paul.henry")
    )
    events = result.structured_content["events"]  # type: ignore[index]
    assert [e["id"] for e in events] == ["evt-comite-cyber-2026-11-27"]
    assert events[0]["start"] == "2026-11-27T11:00:00+01:00"


async def test_find_meeting_ranks_by_subject_within_the_period(calendar: Client, meta_for: Meta) -> None:
    result = await calendar.call_tool(
        "find_meeting",
        {"subject": "comite de direction", "around": "la semaine dernière"},
        meta=meta_for("helene.marchal"),
    )
    content = result.structured_content
    assert content is not None
    assert [m["id"] for m in content["matches"]] == ["evt-codir-2026-11-16"]
    assert (content["window_first_day"], content["window_last_day"]) == ("2026-11-16", "2026-11-22")


async def test_get_event_gives_attendees_and_teams_link(calendar: Client, meta_for: Meta) -> None:
    result = await calendar.call_tool(
        "get_event", {"id": "evt-ag-dtnib-2025-06-19"}, meta=meta_for("claire.dubois")
    )
    event = result.structured_content
    assert event is not None
    assert event["organizer_email"] == "claire.dubois@chru-exemple.fr"
    assert "karim.haddad@chru-exemple.fr" not in event["attendees"]
    assert event["join_url"]


async def test_a_date_it_cannot_read_is_a_tool_error(calendar: Client, meta_for: Meta) -> None:
    result = await calendar.call_tool(
        "find_meeting", {"subject": "AG", "around": "bientôt"}, meta=meta_for("claire.dubois")
    )
    assert result.is_error
    assert (result.meta or {})[ERROR_META] == "bad_request"


async def test_an_unreachable_tenant_is_reported_in_the_language_of_the_run(meta_for: Meta) -> None:
    async def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    graph = GraphAccess(local_settings(), transport=httpx.MockTransport(refuse))
    async with Client(build_server(graph, CallerSource())) as client:
        french = await client.call_tool(
            "find_meeting", {"subject": "AG DTNIB"}, meta=meta_for("claire.dubois")
        )
        english = await client.call_tool(
            "find_meeting", {"subject": "AG DTNIB"}, meta=meta_for("claire.dubois", language="en")
        )
    await graph.aclose()
    assert [(result.meta or {}).get(ERROR_META) for result in (french, english)] == ["unavailable"] * 2
    assert [_text(french), _text(english)] == [
        "Microsoft 365 indisponible : réessayez dans quelques minutes.",
        "Microsoft 365 is unavailable: try again in a few minutes.",
    ]


async def test_a_refusal_is_in_english_when_the_run_is_and_in_french_otherwise(
    calendar: Client, meta_for: Meta
) -> None:
    args = {"subject": "comité budgétaire", "around": "la semaine dernière"}
    french = await calendar.call_tool("find_meeting", args, meta=meta_for("helene.marchal"))
    english = await calendar.call_tool("find_meeting", args, meta=meta_for("helene.marchal", language="en"))

    assert [(result.meta or {}).get(ERROR_META) for result in (french, english)] == ["not_found"] * 2
    assert [_text(french), _text(english)] == [
        "Aucune réunion « comité budgétaire » (la semaine dernière) dans votre calendrier. "
        "Réunions proches dans votre calendrier : « Comité de direction » du 16/11/2026.",
        "No meeting « comité budgétaire » (la semaine dernière) in your calendar. "
        "Close meetings in your calendar: « Comité de direction » of 16/11/2026.",
    ]


async def test_a_request_without_identity_is_refused_in_the_language_of_the_run(calendar: Client) -> None:
    french = await calendar.call_tool("get_event", {"id": "evt-codir-2026-11-16"})
    english = await calendar.call_tool(
        "get_event", {"id": "evt-codir-2026-11-16"}, meta={LANGUAGE_META: "en"}
    )

    assert [(result.meta or {}).get(ERROR_META) for result in (french, english)] == ["unauthenticated"] * 2
    assert [_text(french), _text(english)] == [
        "Identité de l'utilisateur absente : reconnectez-vous à Ariane puis réessayez.",
        "The user's identity is missing: sign in to Ariane again, then try again.",
    ]


def _text(result: CallToolResult) -> str:
    [content] = result.content
    assert isinstance(content, TextContent)
    return content.text


async def test_the_server_default_token_serves_stdio_callers(graph: GraphAccess, token_for: object) -> None:
    token = token_for("claire.dubois@chru-exemple.fr")  # type: ignore[operator]
    async with Client(build_server(graph, CallerSource(default_token=token))) as client:
        result = await client.call_tool("get_event", {"id": "evt-ag-dtnib-2025-06-19"})
    assert not result.is_error
