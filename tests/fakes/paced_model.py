"""The scripted chat model answering after a settable pause, served on a loopback port (tests only).

Replicas started as separate processes reach their model over real HTTP; the pause makes a turn last
long enough to attach to it, stop it or kill its replica mid-way.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import uvicorn

from evals.scripted_model import ScriptedChatModel
from server.cli.serving import _QuietSignalsServer


class PacedScriptedModel:
    """`ScriptedChatModel` whose every answer waits `delay` seconds first."""

    def __init__(self) -> None:
        self.delay = 0.0
        self._app = ScriptedChatModel().app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.delay:
            await asyncio.sleep(self.delay)
        await self._app(scope, receive, send)


class ThreadedServer:
    """An ASGI app under uvicorn in a thread of the test process, on a free loopback port."""

    def __init__(self, app: Any) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = _QuietSignalsServer(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> ThreadedServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            assert time.monotonic() < deadline, "the fake model did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=20)
