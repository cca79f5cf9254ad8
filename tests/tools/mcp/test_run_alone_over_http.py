"""Tool servers run alone over HTTP (their own deployments) serve the path the agents' connector calls."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager

import anyio
import httpx
import pytest
from fastapi import FastAPI

from agents.toolbox import HttpToolConnector, ToolOutcome
from server.app import create_app
from server.settings import Settings
from tests.live_server import serve_on_loopback

pytestmark = pytest.mark.anyio


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def tool_server(name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`python -m tools.<name> --transport http` on a free loopback port; its base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            f"tools.{name}",
            "--transport",
            "http",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=dict(os.environ) | (env or {}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=20)
        assert b"Traceback" not in errors, errors.decode()


@asynccontextmanager
async def connected(base_url: str, name: str, token: str) -> AsyncIterator[Callable[..., object]]:
    """The agents' own connector on `base_url`, retried while the server starts."""
    connector = HttpToolConnector(base_url)
    host, port = base_url.removeprefix("http://").split(":")
    with anyio.fail_after(60):
        while True:
            try:
                await (await anyio.connect_tcp(host, int(port))).aclose()
                break
            except OSError:
                await anyio.sleep(0.2)
    try:
        async with connector.connect(name, token) as client:

            async def call(tool: str, **arguments: object) -> ToolOutcome:
                return ToolOutcome.of(await client.call_tool(tool, arguments))

            call.client = client  # type: ignore[attr-defined]
            yield call
    finally:
        await connector.aclose()  # its connection pool outlives each session, as in Ariane


async def test_a_graph_tool_server_alone_answers_at_mcp_slash_its_name() -> None:
    with tool_server("calendar") as base_url:
        async with connected(base_url, "calendar", "jeton") as call:
            tools = await call.client.list_tools()  # type: ignore[attr-defined]

    assert {tool.name for tool in tools.tools} >= {"list_events", "find_meeting", "get_event"}


@pytest.fixture
async def ariane_url(settings: Settings, tenant_app: FastAPI) -> AsyncIterator[str]:
    app = create_app(settings, identity_transport=httpx.ASGITransport(app=tenant_app))
    async with serve_on_loopback(app) as base_url:
        yield base_url


async def test_the_robots_server_alone_reads_the_robots_api_with_the_callers_token(
    ariane_url: str, token_for: Callable[[str], str]
) -> None:
    # No database for it: the catalogue and who calls come from Ariane's API (one owner per table).
    env = {"DATABASE_URL": "", "ARIANE_ROBOTS_API_URL": ariane_url}
    with tool_server("robots", env) as base_url:
        async with connected(base_url, "robots", token_for("marc.lefevre@chru-exemple.fr")) as call:
            listed = await call("list_robots")
            requested = await call(
                "trigger_robot",
                robot="refacturation-actes-labo",
                inputs={"periode": "2026-10"},
            )
        async with connected(base_url, "robots", "jeton-invalide") as call:
            refused = await call("list_robots")

    may = {robot["id"]: robot["may_request"] for robot in listed.data["robots"]}  # type: ignore[attr-defined]
    assert (len(may), may["refacturation-actes-labo"], may["securisation-compte-compromis"]) == (
        12,
        True,
        False,
    )
    assert requested.data["status"] == "approval_required"  # type: ignore[attr-defined]
    assert (refused.ok, refused.code) == (False, "unauthenticated")  # type: ignore[attr-defined]
