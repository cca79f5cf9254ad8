"""DOMAIN.md's access matrix, through the MCP tools in memory: what each user may find and read."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp.types import CallToolResult

from tests.tools.conftest import Meta
from tools.mcp_common import ERROR_META

pytestmark = pytest.mark.anyio
AG = "evt-ag-dtnib-2025-06-19"


async def call(
    tools: dict[str, Client], server: str, tool: str, meta: dict[str, Any], **args: Any
) -> CallToolResult:
    return await tools[server].call_tool(tool, args, meta=meta)


def error_code(result: CallToolResult) -> str | None:
    return (result.meta or {}).get(ERROR_META) if result.is_error else None


async def test_claire_finds_the_general_assembly_and_reads_its_transcript(
    tools: dict[str, Client], meta_for: Meta
) -> None:
    meta = meta_for("claire.dubois", now="2025-06-26T10:00:00+02:00")
    found = await call(tools, "calendar", "find_meeting", meta, subject="AG DTNIB", around="jeudi dernier")
    assert [m["id"] for m in found.structured_content["matches"]] == [AG]  # type: ignore[index]
    page = await call(tools, "meetings", "get_transcript", meta, meeting=AG, limit=2)
    content = page.structured_content
    assert content is not None
    assert content["total_cues"] > 100
    assert content["cues"][0]["speaker"] == "Claire Dubois"
    assert content["cues"][0]["start"] == "00:00:04.000"
    assert "Hélène Marchal" in content["speakers"]


async def test_karim_can_neither_find_nor_read_the_general_assembly(
    tools: dict[str, Client], meta_for: Meta
) -> None:
    meta = meta_for("karim.haddad")
    found = await call(tools, "calendar", "find_meeting", meta, subject="Assemblée générale DTNIB")
    event = await call(tools, "calendar", "get_event", meta, id=AG)
    listed = await call(tools, "calendar", "list_events", meta, start="2025-06-19", end="2025-06-19")
    by_id = await call(tools, "meetings", "get_transcript", meta, meeting=AG)
    by_meeting = await call(tools, "meetings", "get_transcript", meta, meeting="mtg-ag-dtnib-2025-06-19")
    by_subject = await call(tools, "meetings", "search_transcript", meta, meeting="AG DTNIB", query="Ariane")
    assert [error_code(r) for r in (found, event, by_id, by_meeting, by_subject)] == ["not_found"] * 5
    assert listed.structured_content is not None
    assert listed.structured_content["events"] == []
    for result in (event, by_id, by_meeting, by_subject):  # nothing tells Karim the meeting exists
        assert "Assemblée" not in result.content[0].text  # type: ignore[union-attr]


async def test_a_meeting_without_transcript_says_so(tools: dict[str, Client], meta_for: Meta) -> None:
    result = await call(
        tools,
        "meetings",
        "get_transcript",
        meta_for("marc.lefevre"),
        meeting="evt-point-facturation-2026-11-24",
    )
    room_only = await call(
        tools,
        "meetings",
        "get_transcript",
        meta_for("anne.lambert"),
        meeting="evt-preparation-certification-2026-11-25",
    )
    assert (error_code(result), error_code(room_only)) == ("not_transcribed", "not_transcribed")
    assert "n'a pas été transcrite" in result.content[0].text  # type: ignore[union-attr]


async def test_an_unknown_meeting_suggests_the_closest_visible_ones(
    tools: dict[str, Client], meta_for: Meta
) -> None:
    typo = await call(
        tools, "meetings", "get_transcript", meta_for("paul.henry"), meeting="comite cybersecurite", limit=1
    )
    close = await call(
        tools, "meetings", "get_transcript", meta_for("helene.marchal"), meeting="comité budgétaire"
    )
    assert typo.structured_content["meeting"]["subject"] == "Comité cybersécurité (restreint)"  # type: ignore[index]
    assert error_code(close) == "not_found"
    assert "« Comité de direction »" in close.content[0].text  # type: ignore[union-attr]


async def titles(tools: dict[str, Client], meta: dict[str, Any], query: str) -> set[str]:
    result = await call(tools, "documents", "search_documents", meta, query=query, top=50)
    assert result.structured_content is not None, result.content
    return {hit["id"] for hit in result.structured_content["hits"]}


async def test_only_the_direction_sees_the_financial_report(tools: dict[str, Client], meta_for: Meta) -> None:
    report = "b!site-direction:doc-rapport-financier-2026-09"
    for user, allowed in [
        ("helene.marchal", True),
        ("julien.perrin", False),
        ("paul.henry", False),
        ("karim.haddad", False),
    ]:
        assert (report in await titles(tools, meta_for(user), "rapport financier")) is allowed, user
        read = await call(tools, "documents", "read_document", meta_for(user), id=report)
        assert (error_code(read) is None) is allowed, user


async def test_the_security_procedure_is_for_the_security_officer_only(
    tools: dict[str, Client], meta_for: Meta
) -> None:
    procedure = "b!site-securite-si:doc-procedure-compte-compromis"
    for user, allowed in [("paul.henry", True), ("helene.marchal", False), ("thomas.roux", False)]:
        assert (procedure in await titles(tools, meta_for(user), "compte compromis")) is allowed, user
        read = await call(tools, "documents", "read_document", meta_for(user), id=procedure)
        assert (error_code(read) is None) is allowed, user


async def test_every_staff_member_finds_and_reads_the_working_time_regulation(
    tools: dict[str, Client], meta_for: Meta
) -> None:
    for user in ("claire.dubois", "karim.haddad", "ines.moreau"):
        assert "b!site-rh:doc-rigtt" in await titles(
            tools, meta_for(user), "règlement temps de travail astreinte"
        ), user
    read = await call(tools, "documents", "read_document", meta_for("karim.haddad"), id="b!site-rh:doc-rigtt")
    sections = read.structured_content["sections"]  # type: ignore[index]
    assert sections[0]["locator"] == "page 1"
    assert len(sections) == 18
    assert read.structured_content["text"].startswith("[page 1]\n")  # type: ignore[index]
