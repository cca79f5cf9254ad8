"""The three tool servers in memory, over one Graph access to the in-process tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
from mcp import Client

from tools.calendar.server import build_server as build_calendar
from tools.documents.server import build_server as build_documents
from tools.m365 import GraphAccess
from tools.mcp_common import CallerSource
from tools.meetings.server import build_server as build_meetings


@pytest.fixture
async def tools(graph: GraphAccess) -> AsyncIterator[dict[str, Client]]:
    callers = CallerSource()
    clients = {
        "calendar": Client(build_calendar(graph, callers)),
        "documents": Client(build_documents(graph, callers)),
        "meetings": Client(build_meetings(graph, callers)),
    }
    async with AsyncExitStack() as stack:
        for client in clients.values():
            await stack.enter_async_context(client)
        yield clients
