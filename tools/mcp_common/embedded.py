"""Ariane's built-in tool servers (calendar, documents, meetings), as `ariane up` mounts them at `/mcp`."""

from __future__ import annotations

from typing import Any

import httpx
from mcp.server.mcpserver import MCPServer

from tools.calendar.server import build_server as build_calendar
from tools.documents.server import build_server as build_documents
from tools.m365 import GraphAccess, GraphClock
from tools.mcp_common.caller import CallerSource
from tools.mcp_common.hosting import ToolHost, embedded_m365_settings
from tools.meetings.server import build_server as build_meetings

BUILDERS = {"calendar": build_calendar, "documents": build_documents, "meetings": build_meetings}


def embedded_tool_host(
    tenant_url: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    callers: CallerSource | None = None,
    clock: GraphClock | None = None,
    extra: dict[str, MCPServer[Any]] | None = None,
) -> ToolHost:
    """The three servers over one Graph access configured by `ARIANE_M365_*` (local tenant by default).

    `transport` reaches an in-process tenant (tests); `clock` times Graph calls (benchmarks); `extra`
    adds servers that need no Graph access (robots: the host's database).
    """
    graph = GraphAccess(embedded_m365_settings(tenant_url), transport=transport, clock=clock)
    return ToolHost(graph, callers or CallerSource(), dict(BUILDERS), extra)
