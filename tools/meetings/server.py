"""The meetings MCP server: Teams transcripts of the meetings the caller organised or attended."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult

from tools.m365 import GraphAccess
from tools.mcp_common import READ_ONLY, CallerSource, language_of, tool_result
from tools.meetings import service
from tools.meetings.schemas import TranscriptPage, TranscriptSearch


def build_server(
    graph: GraphAccess, callers: CallerSource, recent: service.RecentTranscripts | None = None
) -> MCPServer[Any]:
    """The server's tools, acting through `graph` for the caller `callers` finds in each request.

    `recent`: the transcripts kept for a run's next pages and searches (a benchmark measuring every
    call's Graph read gives one that keeps nothing).
    """
    # WARNING: at INFO the SDK installs a rich log handler that prints every Graph request.
    server: MCPServer[Any] = MCPServer(
        "meetings",
        title="Réunions Teams",
        instructions="Transcriptions des réunions Teams de l'utilisateur, avec intervenants et horodatages.",
        log_level="WARNING",
    )
    # A run's pages and searches load the transcript once.
    recent = recent if recent is not None else service.RecentTranscripts()

    @server.tool(annotations=READ_ONLY)
    async def get_transcript(
        meeting: str, ctx: Context, offset: int = 0, limit: int = 200
    ) -> Annotated[CallToolResult, TranscriptPage]:
        """Read the Teams transcript of a meeting: cues with speaker, start and end offsets, and text.

        `meeting` is an event id or online meeting id (from the calendar tools), a Teams join URL, or the
        meeting's subject (« Assemblée générale DTNIB »). Long meetings come in pages: call again with
        `offset=next_offset` until `next_offset` is null. Cite a cue by speaker and `start`.
        """
        return await tool_result(
            lambda: service.transcript_page(graph, callers.of(ctx), meeting, offset, limit, recent),
            language_of(ctx),
        )

    @server.tool(annotations=READ_ONLY)
    async def search_transcript(
        meeting: str, query: str, ctx: Context, speaker: str | None = None
    ) -> Annotated[CallToolResult, TranscriptSearch]:
        """Find the cues of a meeting's transcript that contain the words of `query`, best first.

        Accents and plurals are ignored. `speaker` (« Hélène Marchal », or part of the name) keeps only
        that person's cues, and with an empty `query` returns all of them. `meeting` is designated as for
        get_transcript.
        """
        return await tool_result(
            lambda: service.search(graph, callers.of(ctx), meeting, query, speaker, recent),
            language_of(ctx),
        )

    return server
