"""The scripted chat model answering after a settable pause, served on a loopback port (tests only).

Replicas started as separate processes reach their model over real HTTP; the pause makes a turn last
long enough to attach to it, stop it or kill its replica mid-way. A request that offers tools goes to
the scripted tool-calling model (`tool_calls`), so that the same upstream serves tool turns too.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Any

import uvicorn

from evals.scripted_model import ScriptedChatModel
from server.cli.serving import _QuietSignalsServer
from tests.fakes.tool_calling_model import ToolCallingModel


class PacedScriptedModel:
    """`ScriptedChatModel` whose every answer waits `delay` seconds first; tool turns scripted apart."""

    def __init__(self) -> None:
        self.delay = 0.0
        self._app = ScriptedChatModel().app
        self.tools = ToolCallingModel()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        if self.delay:
            await asyncio.sleep(self.delay)
        body = b""
        while True:  # read the request once, then hand it on as it came
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        offers_tools = bool(body) and bool(json.loads(body).get("tools"))
        await (self.tools.app if offers_tools else self._app)(scope, replay, send)


class ThreadedServer:
    """An ASGI app under uvicorn in a thread of the test process, on a free loopback port."""

    def __init__(self, app: Any, lifespan: str = "off") -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan=lifespan)
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
