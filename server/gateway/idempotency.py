"""`Idempotency-Key` on `POST /v1/chat/completions`: a repeated call gets the first call's answer.

A batch row is sent under a key of its own (batch and row): when its sender dies after the model
answered and before the row was recorded, the row is sent again and the gateway answers from what it
kept — no second model call, no second metering. The key is the caller's own (two users never share
one); the same key with another body is refused (422), a repeat while the first call runs waits
(409 with `Retry-After`). Only whole answers with a 2xx status are kept; a failure frees the key. A
first caller that died without an answer leaves a claim that expires after
`ARIANE_GATEWAY_IDEMPOTENCY_CLAIM_SECONDS`: then the model is called again (nothing was kept).
Streamed calls are not kept (the key is ignored).

The key also goes on to the upstream (`upstream_key`: digested with the caller and the model, never
the caller's own text), end to end: when the process holding a call dies while the model works, the
row sent again reaches an upstream that honours `Idempotency-Key` under the same key, and it answers
from the first generation instead of generating twice.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Awaitable, Callable

from fastapi.responses import Response

from server.gateway import repository
from server.gateway.callers import Caller
from server.gateway.errors import GatewayError
from server.gateway.service import Completed, Result
from server.messages import MESSAGES
from tools.database import Pool

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


class IdempotencyKeyReusedError(GatewayError):
    """The key already served another request body (422)."""

    status_code = 422
    code = "idempotency_key_reused"


class RequestInProgressError(GatewayError):
    """The first call under this key has not answered yet (409, with `Retry-After`)."""

    status_code = 409
    code = "request_in_progress"


def is_streamed(raw: bytes) -> bool:
    """Whether the body asks for a stream (an unreadable body is left to the gateway to refuse)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return False
    return isinstance(body, dict) and bool(body.get("stream"))


async def idempotent(
    pool: Pool,
    caller: Caller,
    key: str,
    raw: bytes,
    claim_seconds: float,
    call: Callable[[], Awaitable[Result]],
) -> Result | Response:
    """Run `call` once per caller and key; a repeat gets the kept answer.

    Raises:
        GatewayError: 400 `invalid_idempotency_key`, 422 `idempotency_key_reused`, 409
            `request_in_progress`, and whatever the call raises.
    """
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise GatewayError(
            MESSAGES("gateway.idempotency_key_invalid", limit=MAX_KEY_LENGTH),
            code="invalid_idempotency_key",
        )
    owner = f"{caller.kind}:{caller.id}"
    digest = hashlib.sha256(raw).hexdigest()
    async with pool.connection() as conn:
        found = await repository.claim_idempotency(conn, owner, key, digest, claim_seconds)
    if found is not None:
        if found["request_sha256"] != digest:
            raise IdempotencyKeyReusedError(MESSAGES("gateway.idempotency_key_reused"))
        if found["status_code"] is None:
            wait = max(1, math.ceil(float(found["seconds_left"] or 0)))
            raise RequestInProgressError(
                MESSAGES("gateway.request_in_progress"),
                headers={"Retry-After": str(min(wait, 30))},
            )
        return Response(
            bytes(found["content"]),
            status_code=int(found["status_code"]),
            media_type=found["content_type"] or "application/json",
            headers={REPLAYED_HEADER: "true"},
        )
    try:
        result = await call()
    except Exception:
        async with pool.connection() as conn:
            await repository.release_idempotency(conn, owner, key)
        raise
    async with pool.connection() as conn:
        if isinstance(result, Completed) and 200 <= result.status_code < 300:
            content_type = result.content_type or "application/json"
            await repository.store_idempotent_answer(
                conn, owner, key, result.status_code, result.content, content_type
            )
        else:
            await repository.release_idempotency(conn, owner, key)
    return result
