"""The tool runner (`ariane runner`): registered stdio servers started here, reached over WebSockets.

`ariane serve` replicas start no program; they open `ws://RUNNER/stdio/<name>` with the shared key
(`ARIANE_REGISTRY_RUNNER_KEY`) and this process starts the declared server in its sandbox, one
process per connection, exactly as `ariane up` does in its own process, and relays its JSON-RPC lines.
It reads the declaration from the registry (the database): a caller can only name a registered
server, never give a command. What it cannot start is answered before the upgrade, as
`{"error", "detail"}` with a 4xx, the detail in French.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from mcp import types
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.message import SessionMessage
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from server.registry import repository
from server.registry.launch import LaunchError
from server.registry.runner_client import FINGERPRINT_HEADER, MAX_MESSAGE_BYTES
from server.registry.sandbox import SandboxUnavailableError
from server.registry.schemas import Transport
from server.registry.service import RegistryService
from server.registry.setup import registry_runtime
from server.settings import Settings
from tools.database import open_pool

logger = logging.getLogger(__name__)


def create_runner_app(registry: RegistryService | None, key: str, lifespan: Any = None) -> Starlette:
    """The runner's ASGI app guarded by `key`, over `registry` (or the one `lifespan` puts in state).

    The registry must start stdio servers itself (`local_stdio`, no runner of its own).
    """
    if not key:
        raise ValueError("the tool runner needs a key")
    app = Starlette(
        routes=[Route("/healthz", _healthz), WebSocketRoute("/stdio/{server}", _Relay(key))],
        lifespan=lifespan,
    )
    app.state.registry = registry
    app.state.sessions = 0  # started since the process began (for people and tests)
    return app


def runner_process_app(settings: Settings) -> Starlette:
    """`ariane runner`: the app with its own database pool and registry (stdio started here)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        assert settings.database_url is not None
        pool = await open_pool(settings.database_url.get_secret_value(), max_size=settings.db_pool_max)
        try:
            app.state.registry = registry_runtime(settings, pool, {}, local_stdio=True, runner=False).registry
            yield
        finally:
            await pool.close()

    return create_runner_app(None, settings.registry_runner_key.get_secret_value(), lifespan)


async def _healthz(_: Any) -> JSONResponse:
    return JSONResponse({"status": "ok"})


class _Relay:
    def __init__(self, key: str) -> None:
        self._key = key.encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        websocket = WebSocket(scope, receive, send)
        registry: RegistryService = websocket.app.state.registry
        given = websocket.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), b"Bearer " + self._key):
            await _deny(
                websocket, 401, "runner_unauthorized", "Clé de l'exécuteur d'outils absente ou fausse."
            )
            return
        name = websocket.path_params["server"]
        async with registry.pool.connection() as conn:
            row = await repository.get_server(conn, name)
        if row is None or row["transport"] != Transport.STDIO:
            await _deny(
                websocket,
                404,
                "tool_server_not_found",
                f"Aucun serveur d'outils stdio « {name} » au registre.",
            )
            return
        try:
            spec = registry.spec(row)
            fingerprint = registry.program(row).fingerprint if row["package"] else None
        except LaunchError as error:
            await _deny(websocket, 409, error.code, str(error.message))
            return
        except SandboxUnavailableError as error:
            await _deny(websocket, 409, "sandbox_unavailable", str(error))
            return
        assert spec.command is not None
        await websocket.accept(headers=[(FINGERPRINT_HEADER.encode(), (fingerprint or "").encode())])
        websocket.app.state.sessions += 1
        params = StdioServerParameters(command=spec.command, args=list(spec.args), env=dict(spec.env))
        try:
            await _relay(websocket, params)
        except OSError:  # the program could not be started: the caller sees the connection end
            logger.warning("runner: the stdio server %s could not be started", name)
        finally:
            with anyio.CancelScope(shield=True):
                await websocket.close()


async def _relay(websocket: WebSocket, params: StdioServerParameters) -> None:
    """Lines from the WebSocket to the program and back, until either side ends."""
    # The program's stderr is never relayed (it would be an oracle for whoever wrote the declaration).
    with open(os.devnull, "w", encoding="utf-8") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), anyio.create_task_group() as group:

            async def to_program() -> None:
                try:
                    while True:
                        text = await websocket.receive_text()
                        if len(text) > MAX_MESSAGE_BYTES:
                            break
                        try:
                            message = types.jsonrpc_message_adapter.validate_json(text, by_name=False)
                        except ValueError:
                            continue  # not JSON-RPC: never handed to the program
                        await write.send(SessionMessage(message))
                except (WebSocketDisconnect, anyio.ClosedResourceError, anyio.BrokenResourceError):
                    pass
                group.cancel_scope.cancel()

            async def to_caller() -> None:
                try:
                    async for item in read:
                        if isinstance(item, Exception):
                            continue
                        await websocket.send_text(
                            item.message.model_dump_json(by_alias=True, exclude_unset=True)
                        )
                except (WebSocketDisconnect, RuntimeError, anyio.ClosedResourceError):
                    pass
                group.cancel_scope.cancel()

            group.start_soon(to_program)
            group.start_soon(to_caller)


async def _deny(websocket: WebSocket, status: int, code: str, detail: str) -> None:
    await websocket.send_denial_response(JSONResponse({"error": code, "detail": detail}, status_code=status))
