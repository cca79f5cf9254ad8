"""A fake OpenAI-compatible upstream that writes letters (tests and benchmarks only).

Its answer is a deterministic function of the request — the user message (the filled-in skeleton)
prefixed with « Courrier rédigé : » — so that each row's output can be checked against its row.
It counts the requests it receives per distinct prompt (`received`), answers after `delay` seconds,
and can answer 429 (with `Retry-After`) or 5xx a given number of times first. Like an upstream that
honours `Idempotency-Key`, a request under a key it has seen gets the first answer (awaited while
the first call runs) without a second generation: `generated` counts generations per prompt, `keys`
the requests per key. `serve()` runs it as
a real HTTP server on a loopback port (for the restart test and the benchmark).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PREFIX = "Courrier rédigé : "


def letter_for(user_message: str, model: str = "") -> str:
    """What the fake answers for a filled-in skeleton (signed by the upstream model's name)."""
    return f"{PREFIX}{user_message.strip()}\n\n— {model}" if model else PREFIX + user_message.strip()


def prompt_key(body: dict[str, Any]) -> str:
    """A request's identity: the digest of its messages."""
    return hashlib.sha256(json.dumps(body.get("messages"), sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class FakeLetterModel:
    """Scriptable behaviour; change the fields between requests."""

    delay: float = 0.0
    too_many: int = 0  # 429s answered before any success
    retry_after: float = 0.1
    failures: int = 0  # 503s answered before any success
    received: Counter[str] = field(default_factory=Counter)
    generated: Counter[str] = field(default_factory=Counter)
    keys: Counter[str] = field(default_factory=Counter)
    _answers: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    keep_bodies: bool = True

    @property
    def app(self) -> Starlette:
        """The ASGI app."""
        return Starlette(routes=[Route("/v1/chat/completions", self._chat, methods=["POST"])])

    async def _chat(self, request: Request) -> Response:
        body = json.loads(await request.body())
        if self.too_many > 0:
            self.too_many -= 1
            error = {"error": {"message": "rate limited", "type": "rate_limit", "param": None, "code": None}}
            return JSONResponse(error, status_code=429, headers={"Retry-After": str(self.retry_after)})
        if self.failures > 0:
            self.failures -= 1
            error = {"error": {"message": "overloaded", "type": "server_error", "param": None, "code": None}}
            return JSONResponse(error, status_code=503)
        self.received[prompt_key(body)] += 1
        if self.keep_bodies:
            self.bodies.append(body)
        key = request.headers.get("idempotency-key")
        if key is not None:
            self.keys[key] += 1
            if key in self._answers:  # a repeat: the first generation's answer
                return JSONResponse(await asyncio.shield(self._answers[key]))
            self._answers[key] = asyncio.get_running_loop().create_future()
        self.generated[prompt_key(body)] += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        except BaseException:  # cancelled before answering: a repeat generates anew
            if key is not None:
                self._answers.pop(key).cancel()
            raise
        answer = self._letter(body)
        if key is not None:
            self._answers[key].set_result(answer)
        return JSONResponse(answer)

    def _letter(self, body: dict[str, Any]) -> dict[str, Any]:
        user = next((m["content"] for m in body["messages"] if m["role"] == "user"), "")
        answer = {
            "id": "chatcmpl-letter",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": letter_for(user, body["model"])},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 50, "completion_tokens": 40, "total_tokens": 90},
        }
        return answer


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(model: FakeLetterModel, port: int) -> threading.Thread:
    """Run the fake on 127.0.0.1:`port` in a daemon thread (uvicorn), until the process ends."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(model.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return thread
