"""Tool results are validated against their output schema in every session, the schema compiled once."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel

import agents.toolbox  # noqa: F401  (installs the shared validators, as every run does)
from agents.mcp_validators import compiled_count

pytestmark = pytest.mark.anyio


class Reading(BaseModel):
    """A result shape no other test's tool declares."""

    reading_for_validator_test: str
    count: int


def _server(result: dict[str, Any]) -> MCPServer[Any]:
    server: MCPServer[Any] = MCPServer("validators-test", log_level="WARNING")

    @server.tool()
    async def read() -> Annotated[CallToolResult, Reading]:
        """A structured result, as given."""
        return CallToolResult(content=[TextContent(type="text", text="ok")], structured_content=result)

    return server


async def test_a_schema_is_compiled_once_for_every_session_and_results_still_validated() -> None:
    server = _server({"reading_for_validator_test": "a", "count": 1})
    before = compiled_count()
    for _ in range(3):  # three runs, each with its own session
        async with Client(server) as client:
            result = await client.call_tool("read", {})
            assert result.structured_content == {"reading_for_validator_test": "a", "count": 1}

    assert compiled_count() == before + 1


async def test_a_result_outside_its_schema_is_still_refused_by_a_later_session() -> None:
    server = _server({"reading_for_validator_test": "a", "count": 1})
    async with Client(server) as client:
        await client.call_tool("read", {})  # compiles the schema
    bad = CallToolResult(content=[], structured_content={"reading_for_validator_test": "a", "count": "many"})
    async with Client(server) as client:
        await client.call_tool("read", {})  # this session is handed the compiled validator
        with pytest.raises(RuntimeError, match="Invalid structured content"):
            await client.session.validate_tool_result("read", bad)
