"""Reaching a stdio tool server through the tool runner (`ariane runner`) over a WebSocket.

`ariane serve` starts no program: a registered stdio server runs in the runner, in its sandbox, one
process per connection as it would have in the API process, and its JSON-RPC lines travel over the
WebSocket (one text message a line). The runner is reached with a shared key; what it answers when it
cannot start the server (`{"error", "detail"}`, French) is what the caller shows.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

import anyio
from mcp import types
from mcp.client._transport import TransportStreams
from mcp.shared.message import SessionMessage
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

FINGERPRINT_HEADER = "x-ariane-package-fingerprint"
MAX_MESSAGE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class RunnerAddress:
    """Where the tool runner listens (`ws://` or `wss://`, `http(s)://` accepted) and its key."""

    url: str
    key: str = field(repr=False)

    def endpoint(self, server: str) -> str:
        """The WebSocket URL of one registered server."""
        base = self.url.rstrip("/")
        if base.startswith("http"):
            base = "ws" + base.removeprefix("http")
        return f"{base}/stdio/{quote(server, safe='')}"


class RunnerRefusedError(Exception):
    """The runner would not start the server; `code` and French `detail` come from its answer."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class Opened:
    """What the runner said when it started the server: the package's fingerprint, if any."""

    fingerprint: str | None = None


@asynccontextmanager
async def runner_streams(
    address: RunnerAddress, server: str, opened: Opened
) -> AsyncIterator[TransportStreams]:
    """MCP transport streams to `server` started by the runner.

    Raises:
        RunnerRefusedError: the runner answered with an error instead of starting the server.
        OSError: the runner cannot be reached.
    """
    headers = {"Authorization": f"Bearer {address.key}"}
    try:
        socket = await connect(
            address.endpoint(server), additional_headers=headers, max_size=MAX_MESSAGE_BYTES, open_timeout=30
        ).__aenter__()
    except InvalidStatus as refused:
        raise _refusal(refused) from None
    try:
        opened.fingerprint = socket.response.headers.get(FINGERPRINT_HEADER) if socket.response else None
        to_session, read_stream = anyio.create_memory_object_stream[SessionMessage | Exception](0)
        write_stream, from_session = anyio.create_memory_object_stream[SessionMessage](0)

        async def receive() -> None:
            async with to_session:
                try:
                    async for text in socket:
                        try:
                            message = types.jsonrpc_message_adapter.validate_json(text, by_name=False)
                        except ValueError as invalid:
                            await to_session.send(invalid)
                            continue
                        await to_session.send(SessionMessage(message))
                except (ConnectionClosed, anyio.ClosedResourceError, anyio.BrokenResourceError):
                    return

        async def send() -> None:
            try:
                async with from_session:
                    async for sent in from_session:
                        await socket.send(sent.message.model_dump_json(by_alias=True, exclude_unset=True))
            except (ConnectionClosed, anyio.ClosedResourceError, anyio.BrokenResourceError):
                await to_session.aclose()

        async with anyio.create_task_group() as group:
            group.start_soon(receive)
            group.start_soon(send)
            try:
                yield read_stream, write_stream
            finally:
                group.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await socket.close()


def _refusal(refused: InvalidStatus) -> RunnerRefusedError:
    status = refused.response.status_code
    try:
        answer = json.loads(refused.response.body or b"{}")
        return RunnerRefusedError(str(answer["error"]), str(answer["detail"]))
    except (ValueError, KeyError, TypeError):
        return RunnerRefusedError(
            "runner_refused", f"L'exécuteur d'outils a refusé de démarrer le serveur (HTTP {status})."
        )
