"""`/v1`: the OpenAI-compatible HTTP surface of the gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from opentelemetry.propagate import extract
from starlette.background import BackgroundTask

from server.gateway.callers import Caller
from server.gateway.errors import PayloadTooLargeError
from server.gateway.idempotency import IDEMPOTENCY_HEADER, idempotent, is_streamed
from server.gateway.policy import canonical_name
from server.gateway.schemas import ASSISTANT_HEADER
from server.gateway.service import Completed, Gateway, Result, Streamed
from server.messages import MESSAGES

router = APIRouter()


async def _gateway(request: Request) -> Gateway:  # async: a sync dependency costs a thread hop
    gateway: Gateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(_gateway)]


async def _caller(request: Request, gateway: GatewayDep) -> Caller:
    return await gateway.caller(request.headers.get("Authorization", ""))


CallerDep = Annotated[Caller, Depends(_caller)]


async def _body(request: Request) -> bytes:
    limit: int = request.app.state.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


Body = Annotated[bytes, Depends(_body)]


def _too_large(limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(MESSAGES("edge.too_large", size=limit // 1024))


@router.get("/models")
async def list_models(request: Request, gateway: GatewayDep, caller: CallerDep) -> dict[str, Any]:
    """The models the caller may use (an assistant header narrows it to what that assistant may use)."""
    assistant = request.headers.get(ASSISTANT_HEADER)
    return await gateway.models(caller, canonical_name(assistant) if assistant else None)


@router.post("/chat/completions", response_model=None)
async def chat_completions(request: Request, gateway: GatewayDep, caller: CallerDep, body: Body) -> Response:
    """OpenAI chat completions, streamed or not, with tools and `response_format` passed through.

    With an `Idempotency-Key` (a whole answer, not a stream), a repeat gets the first call's answer.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None or is_streamed(body):
        return _respond(await gateway.chat(caller, body, request.headers, extract(request.headers)))

    async def call() -> Result:
        context = extract(request.headers)
        return await gateway.chat(caller, body, request.headers, context, idempotency_key=key)

    claim: float = request.app.state.idempotency_claim_seconds
    outcome = await idempotent(gateway.pool, caller, key, body, claim, call)
    return outcome if isinstance(outcome, Response) else _respond(outcome)


@router.post("/embeddings", response_model=None)
async def embeddings(request: Request, gateway: GatewayDep, caller: CallerDep, body: Body) -> Response:
    """OpenAI embeddings: the local model, or an upstream's."""
    result = await gateway.embeddings(caller, body, request.headers, extract(request.headers))
    return _respond(result)


def _respond(result: Result) -> Response:
    if isinstance(result, Completed):
        return Response(
            result.content,
            status_code=result.status_code,
            media_type=result.content_type or "application/json",
            background=BackgroundTask(_after, result),
        )
    return StreamingResponse(
        _metered(result),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _after(result: Completed) -> None:
    await result.after()


async def _metered(result: Streamed) -> AsyncIterator[bytes]:
    try:
        async for event in result.events:
            yield event
    finally:
        # A client that hangs up must still release its quota reservation and be metered.
        with anyio.CancelScope(shield=True):
            await result.after()
