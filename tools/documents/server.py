"""The documents MCP server: SharePoint search and reading, limited to what the caller may open."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult

from tools.doctext.bounded import ReadingLimits
from tools.doctext.settings import ReadingSettings
from tools.documents import service
from tools.documents.parsed import ParsedDocuments
from tools.documents.schemas import DocumentSearch, DocumentText
from tools.m365 import GraphAccess
from tools.mcp_common import READ_ONLY, CallerSource, language_of, tool_result


def build_server(
    graph: GraphAccess, callers: CallerSource, reading: ReadingSettings | None = None
) -> MCPServer[Any]:
    """The server's tools, acting through `graph` for the caller `callers` finds in each request.

    `reading` bounds the child process that parses each document (`ARIANE_READING__*` in Ariane,
    `ARIANE_MCP_READING__*` run alone; their defaults otherwise).
    """
    # WARNING: at INFO the SDK installs a rich log handler that prints every Graph request.
    server: MCPServer[Any] = MCPServer(
        "documents",
        title="Documents SharePoint",
        instructions="Recherche et lecture des documents SharePoint (PDF, DOCX) accessibles à l'utilisateur.",
        log_level="WARNING",
    )
    parsed = ParsedDocuments()  # sections by version, shared by the server's callers
    limits = ReadingLimits.of(reading or ReadingSettings())

    @server.tool(annotations=READ_ONLY)
    async def search_documents(
        query: str, ctx: Context, site: str | None = None, top: int = 10
    ) -> Annotated[CallToolResult, DocumentSearch]:
        """Search the SharePoint documents the user may read, best first.

        Words are matched in the text and title, accents ignored. `site` restricts to one site by name
        (« Ressources humaines »); `top` is the number of hits (1 to 50). Each hit has an `id` for
        read_document and a snippet of the passage.
        """
        return await tool_result(
            lambda: service.search_documents(graph, callers.of(ctx), query, site, top), language_of(ctx)
        )

    @server.tool(annotations=READ_ONLY)
    async def read_document(id: str, ctx: Context) -> Annotated[CallToolResult, DocumentText]:
        """Read a document found by search_documents, cut into citable sections.

        Each section has a locator to cite (« page 3 » for a PDF, « section « 2. Objet » » for a DOCX).
        """
        return await tool_result(
            lambda: service.read_document(graph, callers.of(ctx), id, parsed, limits), language_of(ctx)
        )

    return server
