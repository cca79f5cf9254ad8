"""The shape of successful tool results: one JSON form, as structured content and as its text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import Client
from pydantic import BaseModel

from tests.tools.conftest import Meta
from tools.calendar.schemas import EventDetail
from tools.documents.schemas import DocumentSearch, DocumentText
from tools.meetings.schemas import TranscriptPage, TranscriptSearch

pytestmark = pytest.mark.anyio
AG = "evt-ag-dtnib-2025-06-19"

CALLS: list[tuple[str, str, dict[str, Any], type[BaseModel]]] = [
    ("meetings", "get_transcript", {"meeting": AG, "offset": 40, "limit": 7}, TranscriptPage),
    ("meetings", "search_transcript", {"meeting": AG, "query": "budget"}, TranscriptSearch),
    ("documents", "search_documents", {"query": "astreinte", "top": 3}, DocumentSearch),
    ("documents", "read_document", {"id": "b!site-rh:doc-note-astreintes-2025-014"}, DocumentText),
    ("calendar", "get_event", {"id": AG}, EventDetail),
]


@pytest.mark.parametrize(("server", "tool", "args", "model"), CALLS, ids=[c[1] for c in CALLS])
async def test_structured_content_is_the_output_model_as_json_and_the_text_is_the_same_json(
    tools: dict[str, Client],
    meta_for: Meta,
    server: str,
    tool: str,
    args: dict[str, Any],
    model: type[BaseModel],
) -> None:
    result = await tools[server].call_tool(tool, args, meta=meta_for("claire.dubois"))
    assert not result.is_error
    content = result.structured_content
    assert content is not None
    assert model.model_validate(content).model_dump(mode="json") == content
    assert list(model.model_validate(content).model_dump(mode="json")) == list(content)  # field order
    [text] = result.content
    assert text.type == "text"
    assert text.text == json.dumps(content, ensure_ascii=False, separators=(",", ":"))


async def test_a_caller_altering_a_transcript_page_does_not_alter_the_next_one(
    tools: dict[str, Client], meta_for: Meta
) -> None:
    args = {"meeting": AG, "limit": 3}
    first = await tools["meetings"].call_tool("get_transcript", args, meta=meta_for("claire.dubois"))
    assert first.structured_content is not None
    expected = json.loads(json.dumps(first.structured_content))
    first.structured_content["cues"][0]["text"] = "modifié"
    first.structured_content["speakers"].clear()
    again = await tools["meetings"].call_tool("get_transcript", args, meta=meta_for("claire.dubois"))
    assert again.structured_content == expected
