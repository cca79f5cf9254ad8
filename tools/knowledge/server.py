"""The knowledge MCP server: search an assistant's reference documents, as far as the caller may read."""

from __future__ import annotations

import argparse
from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult

from tools.knowledge.client import KnowledgeApi
from tools.knowledge.schemas import KnowledgeSearch
from tools.knowledge.settings import KnowledgeToolSettings
from tools.mcp_common import READ_ONLY, CallerSource, language_of, tool_result
from tools.mcp_common.hosting import serve_transport
from tools.mcp_common.settings import ToolServerSettings


def build_server(api: KnowledgeApi, callers: CallerSource) -> MCPServer[Any]:
    """The server's tool, calling Ariane's knowledge API as the caller `callers` finds in each request."""
    server: MCPServer[Any] = MCPServer(
        "knowledge",
        title="Connaissances des assistants",
        instructions="Recherche dans les documents de référence d'un assistant (règlements, notes).",
        log_level="WARNING",
    )

    @server.tool(annotations=READ_ONLY)
    async def search_knowledge(
        query: str, collection: str, ctx: Context, top: int = 8
    ) -> Annotated[CallToolResult, KnowledgeSearch]:
        """Search an assistant's reference documents for passages that answer a question, best first.

        `collection` is the assistant's knowledge base (its id, e.g. « coach-temps-de-travail »); `top`
        is the number of passages (1 to 50). Each passage has the document title, a locator to cite
        (« page 9 », « section « 3. Barème » ») and its exact text: quote it word for word. Passages
        come from documents the user may read only; low `similarity` and no `text_rank` mean the
        documents probably do not cover the question.
        """
        return await tool_result(
            lambda: api.search(callers.of(ctx), collection, query, top), language_of(ctx)
        )

    return server


def run(argv: list[str] | None = None) -> None:
    """`python -m tools.knowledge --transport stdio|http [--host H] [--port P]`."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.knowledge", description="Serveur MCP « knowledge » d'Ariane"
    )
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    parser.add_argument("--host", default=None, help="interface (ARIANE_MCP_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (ARIANE_MCP_PORT)")
    args = parser.parse_args(argv)
    settings, knowledge = ToolServerSettings(), KnowledgeToolSettings()
    # A default user only for stdio (one user per process); over HTTP each request carries its token.
    token = settings.user_token.get_secret_value() if settings.user_token else None
    callers = CallerSource(default_token=token if args.transport == "stdio" else None)

    async def serve() -> None:
        api = KnowledgeApi(knowledge.api_url, timeout=knowledge.timeout_seconds)
        try:
            await serve_transport(build_server(api, callers), args.transport, args.host or settings.host,
                                  args.port or settings.port)  # fmt: skip
        finally:
            await api.aclose()

    anyio.run(serve)
