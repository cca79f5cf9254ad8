"""Ariane's built-in tool servers (calendar, documents, meetings, mail, knowledge), mounted at `/mcp`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from mcp.server.mcpserver import MCPServer

from tools.calendar.server import build_server as build_calendar
from tools.doctext.settings import ReadingSettings
from tools.documents.server import build_server as build_documents
from tools.knowledge.client import KnowledgeApi
from tools.knowledge.server import build_server as build_knowledge
from tools.m365 import GraphAccess, GraphClock
from tools.mail.server import build_server as build_mail
from tools.mcp_common.caller import CallerSource
from tools.mcp_common.hosting import Builder, ToolHost, embedded_m365_settings
from tools.meetings.server import build_server as build_meetings

BUILDERS = {
    "calendar": build_calendar,
    "documents": build_documents,
    "meetings": build_meetings,
    "mail": build_mail,
}


def embedded_tool_host(
    tenant_url: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    callers: CallerSource | None = None,
    clock: GraphClock | None = None,
    api_url: str | None = None,
    api_transport: httpx.AsyncBaseTransport | None = None,
    extra: dict[str, MCPServer[Any]] | None = None,
    reading: ReadingSettings | None = None,
) -> ToolHost:
    """The built-in servers over one Graph access configured by `ARIANE_M365_*` (local tenant by default).

    `transport` reaches an in-process tenant (tests); `clock` times Graph calls (benchmarks);
    `api_url` (and `api_transport`, in process) is where the knowledge tool reaches Ariane's API;
    `extra` adds servers that need no Graph access (robots: the host's database); `reading` bounds
    the child process in which the documents server parses each SharePoint file (the host's
    `ARIANE_READING__*`).
    """
    graph = GraphAccess(embedded_m365_settings(tenant_url), transport=transport, clock=clock)
    builders: dict[str, Builder] = dict(BUILDERS)
    builders["documents"] = lambda graph, callers: build_documents(graph, callers, reading)
    closers: list[Callable[[], Awaitable[None]]] = []
    if api_url is not None:
        api = KnowledgeApi(api_url, transport=api_transport)
        builders["knowledge"] = lambda _graph, callers: build_knowledge(api, callers)
        closers.append(api.aclose)
    return ToolHost(graph, callers or CallerSource(), builders, closers, extra)
