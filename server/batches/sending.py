"""Sending one row: its `/v1` call under the user, and what its answer means for the row.

Each row's call carries an `Idempotency-Key` (batch and row) that the gateway honours: a row sent
again after a crash gets the answer the model already gave, not a second call (a 409 while that
first call still runs means wait). A 429 (quota, rate) is not a failure: the row goes back to the
queue for when the gateway says, and the batch slows down (`Pace`). A refusal by policy (403) ends
the row as refused, never retried. An upstream failure or timeout is retried with backoff up to the
attempts allowed, then fails the row. An expired session pauses the batch (the user resumes it, with
a fresh session).

Each call asks the gateway for the batch's language (`Accept-Language`: the language of the user who
created it, French for batches created before it was kept), and the row's own texts are written in it,
so that the owner reads a row's refusal or failure in their language.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from agents.recording import ObservedTransport
from server.batches.prompting import answer_text
from server.messages import MESSAGES
from tools.i18n import DEFAULT_LANGUAGE, Language

IDEMPOTENCY_HEADER = "Idempotency-Key"
DATA_CLASS_HEADER = "X-Ariane-Data-Class"
_MAX_WAIT_SECONDS = 24 * 3600.0


class SessionExpiredError(Exception):
    """The owner's token is no longer accepted: the batch pauses until they resume it."""


@dataclass
class Outcome:
    """What a call means for its row: `done`, `refused`, `failed`, or `retry` after `delay` seconds."""

    status: str
    output: str | None = None
    model_used: str | None = None
    error_code: str | None = None
    error: str | None = None
    delay: float = 0.0
    counts_attempt: bool = True


@dataclass
class Pace:
    """How many calls may be in flight: the batch's limit, halved at each 429, grown back by successes.

    Only the call to the gateway holds a place (`async with pace:`): claiming and ending rows happen
    outside it, so that the database's share of a row overlaps other rows' calls.
    """

    limit: int
    current: int = 0
    resume_at: float = 0.0
    in_flight: int = 0
    _streak: int = 0
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def __post_init__(self) -> None:
        self.current = self.current or self.limit

    async def __aenter__(self) -> None:
        async with self._changed:
            while True:
                wait = self.resume_at - time.monotonic()
                if wait <= 0 and self.in_flight < self.current:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), timeout=wait if wait > 0 else None)
            self.in_flight += 1

    async def __aexit__(self, *exc: object) -> None:
        async with self._changed:
            self.in_flight -= 1
            self._changed.notify_all()

    def slow_down(self, wait: float) -> None:
        """A 429: fewer calls in flight, none before `wait` seconds."""
        self.current = max(1, self.current // 2)
        self.resume_at = max(self.resume_at, time.monotonic() + wait)
        self._streak = 0

    def succeeded(self) -> None:
        """A call went through: after as many successes as calls in flight, one more may fly."""
        self._streak += 1
        if self.current < self.limit and self._streak >= self.current:
            self.current += 1
            self._streak = 0


def retry_after(response: httpx.Response, default: float) -> float:
    """The gateway's `Retry-After` in seconds (a number or an HTTP date), bounded."""
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            seconds = default
    return min(max(seconds, 0.5), _MAX_WAIT_SECONDS)


@dataclass
class RowSender:
    """Sends rows' requests to the gateway as the batch's owner, each call observed and recorded."""

    client: httpx.AsyncClient
    inner: httpx.AsyncBaseTransport
    v1: str
    token: str
    data_class: str
    max_attempts: int
    backoff: float
    language: Language = DEFAULT_LANGUAGE

    async def send(self, key: str, body: dict[str, Any], attempt: int, recorder: Any) -> Outcome:
        """Send one row's request (`key`: its idempotency key) and interpret the answer.

        Raises:
            SessionExpiredError: the gateway no longer accepts the owner's token.
        """
        request = self.client.build_request(
            "POST",
            f"{self.v1}/chat/completions",
            json=body,
            headers={
                "Authorization": f"Bearer {self.token}",
                DATA_CLASS_HEADER: self.data_class,
                IDEMPOTENCY_HEADER: key,
                "Accept-Language": self.language,
            },
        )
        try:
            response = await ObservedTransport(self.inner, recorder).handle_async_request(request)
        except httpx.TransportError as exc:
            unreachable = self._text("batches.gateway_unreachable", error=type(exc).__name__)
            return self._retry(attempt, "gateway_unreachable", unreachable)
        return self._interpret(response, attempt)

    def _interpret(self, response: httpx.Response, attempt: int) -> Outcome:
        status = response.status_code
        if status == 200:
            try:
                payload = json.loads(response.content)
                return Outcome("done", output=answer_text(payload), model_used=payload.get("model"))
            except ValueError as exc:
                empty = self._text("batches.empty_answer", error=exc)
                return Outcome("failed", error_code="empty_answer", error=empty)
        error = _error_of(response)
        code, message = str(error.get("code") or f"http_{status}"), str(error.get("message") or "")
        if status == 401:
            raise SessionExpiredError(message)
        if status == 429 or (status == 409 and code == "request_in_progress"):
            # the gateway's quota, or the same row's call still running elsewhere: wait, not an attempt
            return Outcome(
                "retry",
                error_code=code,
                error=message,
                delay=retry_after(response, 5.0),
                counts_attempt=False,
            )
        if status in (403, 404):
            return Outcome("refused", error_code=code, error=message)
        if status >= 500 or status == 408:
            return self._retry(attempt, code, message or self._text("batches.gateway_status", status=status))
        refused = message or self._text("batches.request_refused", status=status)
        return Outcome("failed", error_code=code, error=refused)

    def _retry(self, attempt: int, code: str, message: str) -> Outcome:
        if attempt >= self.max_attempts:
            exhausted = self._text("batches.attempts", message=message, attempt=attempt)
            return Outcome("failed", error_code=code, error=exhausted)
        return Outcome("retry", error_code=code, error=message, delay=self.backoff * 2 ** (attempt - 1))

    def _text(self, key: str, **params: object) -> str:
        """A catalogue text in the batch's language (the row keeps it as written)."""
        return MESSAGES(key, **params).render(self.language)


def _error_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}
