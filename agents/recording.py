"""Recording a run for the audit trail and for replay, at the agents' two boundaries.

Every exchange with the gateway (through `ObservedTransport`, under `ModelAccess`'s HTTP client) and
every tool call (in `ToolBox.call`) is handed to the run's `RunRecorder`, with the run's clock and
versions recorded at its start. The server implements the recorder (it writes to the audit store);
replay (`agents.replay`) serves the same records back. The transport also opens the client-side
`chat {model}` span and carries the trace context to the gateway in the `traceparent` header.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Protocol

import httpx
from opentelemetry import trace
from opentelemetry.propagate import inject
from opentelemetry.trace import SpanKind, Status, StatusCode

from agents.turn import TurnRequest

RECORDED_HEADERS = ("x-ariane-assistant", "x-ariane-data-class")  # never Authorization
_tracer = trace.get_tracer("ariane.agents")


class RecordingFailedError(Exception):
    """The run's records could not be stored: the run must fail closed."""


class RunRecorder(Protocol):
    """Receives what a run exchanged with the outside world, in order."""

    def record(self, kind: str, data: dict[str, Any]) -> None:
        """Record `model_call`, `tool_call`, `tool_list` or `workflow` data."""
        ...

    async def seal(self, outcome: dict[str, Any]) -> None:
        """Record the outcome and the run's end; wait until all of it (spans too) is stored.

        Called before the answer goes out: an answer that could not be audited is not given.

        Raises:
            RecordingFailedError: the store could not be written.
        """
        ...


class RunAuditor(Protocol):
    """Makes the recorder of each run (the server's writes to the audit store)."""

    def begin(self, turn: TurnRequest, now: datetime, span: trace.Span) -> RunRecorder:
        """Start recording a run whose `invoke_agent` span is `span`."""
        ...


def request_record(request: httpx.Request) -> dict[str, Any]:
    """What a model request is compared on: method, path, the Ariane headers, the body."""
    return {
        "method": request.method,
        "path": request.url.path,
        "headers": {name: request.headers[name] for name in RECORDED_HEADERS if name in request.headers},
        "body": request.content.decode("utf-8", "replace"),
    }


def operation_of(request: httpx.Request) -> tuple[str, str | None]:
    """The GenAI operation (`chat`, `embeddings`) and requested model of a gateway request."""
    path = request.url.path
    operation = (
        "chat" if path.endswith("/chat/completions") else "embeddings" if path.endswith("/embeddings") else ""
    )
    if not operation:
        return f"{request.method} {path}", None
    try:
        model = json.loads(request.content).get("model")
    except (ValueError, AttributeError):
        model = None
    return operation, str(model) if model else None


class ObservedTransport(httpx.AsyncBaseTransport):
    """The model access's transport: one client span per gateway call, each exchange recorded."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None, recorder: RunRecorder | None) -> None:
        # A transport given is shared with other runs (its pool and TLS context are made once per
        # process): only one made here is closed with the run.
        self._owned = inner is None
        self._inner = inner or httpx.AsyncHTTPTransport()
        self._recorder = recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Forward the request; read the whole answer so that it can be recorded."""
        operation, model = operation_of(request)
        name = f"{operation} {model}" if model else operation
        attributes: dict[str, Any] = {"server.address": request.url.host}
        if model:
            attributes |= {
                "gen_ai.operation.name": operation,
                "gen_ai.request.model": model,
                "gen_ai.provider.name": "ariane",
            }
        with _tracer.start_as_current_span(name, kind=SpanKind.CLIENT, attributes=attributes) as span:
            inject(request.headers)
            response = await self._inner.handle_async_request(request)
            content = await response.aread()
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 400:
                span.set_status(Status(StatusCode.ERROR))
            _usage(span, response, content)
        if self._recorder is not None:
            self._recorder.record(
                "model_call",
                {
                    "request": request_record(request),
                    "response": {
                        "status": response.status_code,
                        "content_type": response.headers.get("content-type", ""),
                        "body": content.decode("utf-8", "replace"),
                    },
                },
            )
        headers = [
            (k, v) for k, v in response.headers.items() if k not in {"content-encoding", "content-length"}
        ]
        return httpx.Response(response.status_code, headers=headers, content=content, request=request)

    async def aclose(self) -> None:
        """Close the inner transport, if this one made it."""
        if self._owned:
            await self._inner.aclose()


def _usage(span: trace.Span, response: httpx.Response, content: bytes) -> None:
    if not response.headers.get("content-type", "").startswith("application/json"):
        return
    try:
        body = json.loads(content)
    except ValueError:
        return
    if not isinstance(body, dict):
        return
    usage = body.get("usage") or {}
    if isinstance(usage, dict) and "prompt_tokens" in usage:
        span.set_attribute("gen_ai.usage.input_tokens", int(usage.get("prompt_tokens") or 0))
        span.set_attribute("gen_ai.usage.output_tokens", int(usage.get("completion_tokens") or 0))
    if isinstance(body.get("model"), str):
        span.set_attribute("gen_ai.response.model", body["model"])
