"""A run opens MCP sessions only to the servers its workflow calls, whatever else it was granted."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest

from agents.toolbox import ToolBox

pytestmark = pytest.mark.anyio


class RecordingConnectorFake:
    """Counts the sessions a tool box opens (the clients are never used here)."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    @asynccontextmanager
    async def connect(self, server: str, token: str) -> AsyncIterator[Any]:
        self.opened.append(server)
        yield object()

    def meta(self, token: str) -> dict[str, Any]:
        return {}


class GenerousGuardFake:
    """A registry grant that gives the run more servers than the assistant lists."""

    def servers(self, requested: Iterable[str]) -> list[str]:
        return ["calendar", "documents", "meetings", "robots", "time"]


async def _ignore(kind: Any, data: dict[str, Any]) -> None:
    return None


async def test_only_the_workflows_servers_are_opened_even_when_the_registry_grants_more() -> None:
    connector = RecordingConnectorFake()
    tools = ["calendar", "documents", "meetings", "robots"]

    async with ToolBox(
        connector,
        "jeton",
        datetime.now(UTC),
        _ignore,
        tools,
        guard=GenerousGuardFake(),  # type: ignore[arg-type]
    ) as box:
        await box.open(tools, only={"calendar", "meetings"})

    assert connector.opened == ["calendar", "meetings"]
    assert box.opened == ["calendar", "meetings"]


async def test_without_a_restriction_every_granted_server_is_opened() -> None:
    connector = RecordingConnectorFake()

    async with ToolBox(
        connector,
        "jeton",
        datetime.now(UTC),
        _ignore,
        ["calendar"],
        guard=GenerousGuardFake(),  # type: ignore[arg-type]
    ) as box:
        await box.open(["calendar"])

    assert connector.opened == ["calendar", "documents", "meetings", "robots", "time"]


class ClosingFailsConnectorFake:
    """Sessions whose closing fails as `error` (the MCP client's task group reports it in a group)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    @asynccontextmanager
    async def connect(self, server: str, token: str) -> AsyncIterator[Any]:
        yield object()
        raise ExceptionGroup("unhandled errors in a TaskGroup", [self.error])

    def meta(self, token: str) -> dict[str, Any]:
        return {}


@pytest.mark.parametrize(
    "error",
    [httpx2.ConnectError("All connection attempts failed"), httpx2.ReadTimeout("timed out"), OSError(104)],
)
async def test_a_session_that_cannot_be_closed_does_not_fail_the_run(error: BaseException) -> None:
    async with ToolBox(ClosingFailsConnectorFake(error), "jeton", datetime.now(UTC), _ignore) as box:
        await box.open(["meetings"])

    assert box.opened == ["meetings"]


async def test_a_bug_while_closing_a_session_is_not_hidden() -> None:
    with pytest.raises(ExceptionGroup) as raised:
        async with ToolBox(
            ClosingFailsConnectorFake(ValueError("a bug")), "jeton", datetime.now(UTC), _ignore
        ) as box:
            await box.open(["meetings"])

    assert [type(error) for error in raised.value.exceptions] == [ValueError]
