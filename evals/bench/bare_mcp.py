"""The reference for Ariane's tool servers: a bare MCP SDK server returning the same payloads.

Same tool names, same parameters and the same output schemas as Ariane's `get_transcript` and
`search_documents` (the SDK derives both from the same signatures and models), each returning the
result Ariane's tool gave for the bench's arguments: what is left between the two is Ariane's own
work (Graph through msgraph-sdk and the local tenant, the caller's token, the tool's logic), not the
protocol's. `same_contract` checks the schemas really are the same before anything is compared.
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult

from tools.documents.schemas import DocumentSearch
from tools.meetings.schemas import TranscriptPage


def bare_server(payloads: dict[str, CallToolResult]) -> MCPServer[Any]:
    """An MCP SDK server whose tools return `payloads[tool]`, whatever they are asked."""
    server: MCPServer[Any] = MCPServer("bare", log_level="WARNING")

    @server.tool()
    async def get_transcript(
        meeting: str, offset: int = 0, limit: int = 200
    ) -> Annotated[CallToolResult, TranscriptPage]:
        """The recorded transcript page."""
        return payloads["get_transcript"]

    @server.tool()
    async def search_documents(
        query: str, site: str | None = None, top: int = 10
    ) -> Annotated[CallToolResult, DocumentSearch]:
        """The recorded search result."""
        return payloads["search_documents"]

    return server


async def same_contract(ours: Client, bare: Client, tool: str) -> None:
    """Raise unless `tool` has the same input and output schemas on both servers."""
    mine = next(t for t in (await ours.list_tools()).tools if t.name == tool)
    theirs = next(t for t in (await bare.list_tools()).tools if t.name == tool)
    if (mine.input_schema, mine.output_schema) != (theirs.input_schema, theirs.output_schema):
        raise AssertionError(f"the bare server's {tool} does not have Ariane's schemas")
