"""Each tool server runs alone over stdio (`python -m tools.<name>`), as a desktop MCP client starts it."""

from __future__ import annotations

import os
import sys

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

pytestmark = pytest.mark.anyio

TOOLS = {
    "calendar": {"list_events", "find_meeting", "get_event"},
    "documents": {"search_documents", "read_document"},
    "meetings": {"get_transcript", "search_transcript"},
    "knowledge": {"search_knowledge"},
}


@pytest.mark.parametrize("name", sorted(TOOLS))
async def test_the_server_runs_alone_over_stdio_and_lists_its_tools(name: str) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", f"tools.{name}", "--transport", "stdio"], env=dict(os.environ)
    )
    with anyio.fail_after(60):
        async with Client(stdio_client(params)) as client:
            listed = {tool.name for tool in (await client.list_tools()).tools}

    assert listed >= TOOLS[name]
