"""How the server wires its agents to its own tool servers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from agents.toolbox import HttpToolConnector
from server.app import agent_runner
from server.settings import Settings
from tools.database import Pool, open_pool
from tools.doctext.settings import ReadingSettings

pytestmark = pytest.mark.anyio


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    opened = await open_pool(database_url, max_size=2)
    yield opened
    await opened.close()


@pytest.mark.parametrize("reading_seconds", [10.0, 45.0, 120.0])
async def test_a_tool_call_outwaits_the_longest_document_reading(
    settings: Settings, pool: Pool, reading_seconds: float
) -> None:
    """A SharePoint document read by the documents tool may take the reading's whole wall time: the
    run must get the reader's own verdict (`document_too_complex`), not a timeout of its own first."""
    reading = settings.reading.model_copy(update={"timeout_seconds": reading_seconds})
    assert isinstance(reading, ReadingSettings)
    runner = agent_runner(FastAPI(), settings.model_copy(update={"reading": reading}), pool, in_process=False)

    tools = runner.endpoints.tools
    assert isinstance(tools, HttpToolConnector)
    assert tools.timeout > reading_seconds
    await tools.aclose()
