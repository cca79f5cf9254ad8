"""The calendar MCP server: the calling user's events and meetings."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult

from tools.calendar import service
from tools.calendar.schemas import EventDetail, EventList, MeetingSearch
from tools.m365 import GraphAccess
from tools.mcp_common import READ_ONLY, CallerSource, language_of, tool_result


def build_server(graph: GraphAccess, callers: CallerSource) -> MCPServer[Any]:
    """The server's tools, acting through `graph` for the caller `callers` finds in each request."""
    # WARNING: at INFO the SDK installs a rich log handler that prints every Graph request.
    server: MCPServer[Any] = MCPServer(
        "calendar",
        title="Calendrier",
        instructions="Agenda Outlook de l'utilisateur : événements, réunions Teams. Heures en Europe/Paris.",
        log_level="WARNING",
    )

    @server.tool(annotations=READ_ONLY)
    async def list_events(
        start: str, end: str, ctx: Context, query: str | None = None
    ) -> Annotated[CallToolResult, EventList]:
        """List the user's calendar events between `start` and `end`, earliest first.

        `start` and `end` are ISO 8601 dates or instants (`2025-06-19`, `2025-06-19T14:00:00+02:00`) or
        French expressions (`hier`, `la semaine dernière`): a start takes the first day, an end the whole
        last day. `query` keeps only events whose subject contains or resembles it.
        """
        return await tool_result(
            lambda: service.list_events(graph, callers.of(ctx), start, end, query), language_of(ctx)
        )

    @server.tool(annotations=READ_ONLY)
    async def find_meeting(
        subject: str, ctx: Context, around: str | None = None
    ) -> Annotated[CallToolResult, MeetingSearch]:
        """Find the user's meetings whose subject resembles `subject`, best match first.

        Accents, word order and acronyms such as « AG » are tolerated.

        `around` narrows the search to a period, as an ISO date or in French: « hier », « jeudi dernier »,
        « la semaine dernière », « le 19 juin », « en juin ». Without it the whole calendar is searched.
        Use the returned `id` with get_event, or with get_transcript of the meetings server.
        """
        return await tool_result(
            lambda: service.find_meeting(graph, callers.of(ctx), subject, around), language_of(ctx)
        )

    @server.tool(annotations=READ_ONLY)
    async def get_event(id: str, ctx: Context) -> Annotated[CallToolResult, EventDetail]:
        """Get one event of the user's calendar by its `id`: times, place, organiser, attendees, link."""
        return await tool_result(lambda: service.event_detail(graph, callers.of(ctx), id), language_of(ctx))

    return server
