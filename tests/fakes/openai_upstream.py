"""A fake OpenAI-compatible upstream (tests and benchmarks only): fixed answers, scriptable failures.

It answers `/v1/chat/completions` (streamed or not, with a tool call when tools are offered),
`/v1/embeddings` and Azure's `/openai/deployments/{name}/...` form, after an optional fixed delay.
Every request it receives is kept in `requests` (path, headers, JSON body) for assertions.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

CREATED = 1_700_000_000
USAGE = {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}
WORDS = ["Bonjour", " de", " la passerelle."]


@dataclass
class Seen:
    """One request as the upstream received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeOpenAIUpstream:
    """The fake upstream's behaviour; change the fields between requests to script it."""

    delay: float = 0.0
    fail_with: list[int] = field(default_factory=list)  # statuses answered before succeeding
    hang: bool = False
    gate: asyncio.Event | None = None  # when set, requests wait for it (after being recorded)
    record: bool = True
    requests: list[Seen] = field(default_factory=list)

    @property
    def app(self) -> Starlette:
        """The ASGI app."""
        routes = [
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
            Route("/v1/embeddings", self._embeddings, methods=["POST"]),
            Route("/openai/deployments/{name}/chat/completions", self._chat, methods=["POST"]),
        ]
        return Starlette(routes=routes)

    async def _chat(self, request: Request) -> Response:
        body = json.loads(await request.body())
        early = await self._before(request, body)
        if early is not None:
            return early
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return StreamingResponse(
                _paced(stream_events(body["model"], include_usage, bool(body.get("tools")))),
                media_type="text/event-stream",
            )
        return Response(
            completion_bytes(body["model"], bool(body.get("tools"))), media_type="application/json"
        )

    async def _embeddings(self, request: Request) -> Response:
        body = json.loads(await request.body())
        early = await self._before(request, body)
        if early is not None:
            return early
        inputs = [body["input"]] if isinstance(body["input"], str) else body["input"]
        data = [{"object": "embedding", "index": i, "embedding": [0.5, 0.5]} for i, _ in enumerate(inputs)]
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 4, "total_tokens": 4},
            }
        )

    async def _before(self, request: Request, body: dict[str, Any]) -> Response | None:
        if self.record:
            self.requests.append(Seen(request.url.path, dict(request.headers), body))
        if self.hang:
            await asyncio.Event().wait()
        if self.gate is not None:
            await self.gate.wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_with:
            status = self.fail_with.pop(0)
            error = {
                "error": {"message": "upstream failure", "type": "server_error", "param": None, "code": None}
            }
            return JSONResponse(error, status_code=status)
        return None


def completion(model: str, tools: bool) -> dict[str, Any]:
    """The non-streamed answer."""
    message: dict[str, Any] = {"role": "assistant", "content": "".join(WORDS)}
    finish = "stop"
    if tools:
        message = {"role": "assistant", "content": None, "tool_calls": [_tool_call()]}
        finish = "tool_calls"
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": USAGE,
    }


def completion_bytes(model: str, tools: bool) -> bytes:
    """The non-streamed answer exactly as sent (with an odd spacing, to catch re-encoding)."""
    return json.dumps(completion(model, tools), indent=1, ensure_ascii=False).encode()


def _tool_call() -> dict[str, Any]:
    return {
        "id": "call_fake_1",
        "type": "function",
        "function": {"name": "search_documents", "arguments": '{"query": "astreinte"}'},
    }


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> bytes:
    payload = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n"


def stream_events(model: str, include_usage: bool, tools: bool = False) -> list[bytes]:
    """The streamed answer, event by event, exactly as sent."""
    events = [_chunk(model, {"role": "assistant", "content": ""}, None)]
    if tools:
        call = _tool_call()
        events.append(_chunk(model, {"tool_calls": [{"index": 0, **call}]}, None))
        events.append(_chunk(model, {}, "tool_calls"))
    else:
        events += [_chunk(model, {"content": word}, None) for word in WORDS]
        events.append(_chunk(model, {}, "stop"))
    if include_usage:
        usage = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "choices": [],
            "usage": USAGE,
        }
        events.append(b"data: " + json.dumps(usage).encode() + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    return events


async def _paced(events: list[bytes]) -> Any:
    for event in events:
        yield event
        await asyncio.sleep(0)
