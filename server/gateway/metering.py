"""One record per request: metered in PostgreSQL and traced as one OpenTelemetry GenAI span.

The span follows the GenAI semantic conventions (`{operation} {model}`, `gen_ai.*` attributes) and
carries the policy decision as `ariane.policy.*`, so that an auditor sees why each model was used.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import date

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

from server.gateway import repository
from server.gateway.callers import Caller
from server.gateway.classification import Classification
from server.gateway.decision import Decision
from server.gateway.errors import GatewayError
from server.gateway.policy import Model
from server.gateway.repository import Hold
from tools.database import Pool

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settlement:
    """Quota reservations to release, and the tokens really used."""

    holds: list[Hold]
    day: date
    used: int


@dataclass
class Call:
    """What one request did, filled in as it goes."""

    operation: str  # "chat" or "embeddings" (GenAI operation names)
    caller: Caller
    requested_model: str
    span: Span
    started: float = field(default_factory=time.perf_counter)
    assistant: str | None = None
    stream: bool = False
    classification: Classification | None = None
    decision: Decision | None = None
    used_model: Model | None = None
    response_model: str | None = None
    system: str = "ariane"
    input_tokens: int = 0
    output_tokens: int = 0
    status_code: int = 200
    error: GatewayError | None = None
    policy_version: int | None = None

    def fail(self, error: GatewayError) -> None:
        """Record a refusal or failure."""
        self.error = error
        self.status_code = error.status_code

    @property
    def cost(self) -> float:
        """Euros, from the catalogue's prices of the model used."""
        if self.used_model is None:
            return 0.0
        prices = self.used_model.prices
        return (
            self.input_tokens * prices.input_per_million + self.output_tokens * prices.output_per_million
        ) / 1e6


def start_call(
    tracer: Tracer, operation: str, caller: Caller, requested_model: str, parent: object = None
) -> Call:
    """Open the request's span (`chat {model}` / `embeddings {model}`)."""
    span = tracer.start_span(
        f"{operation} {requested_model.strip()[:80]}",
        kind=SpanKind.CLIENT,
        context=parent,  # type: ignore[arg-type]
        attributes={
            "gen_ai.operation.name": operation,
            "gen_ai.request.model": requested_model,
            "ariane.caller.kind": caller.kind.value,
            "ariane.caller.service": caller.service,
        },
    )
    return Call(operation, caller, requested_model, span)


class MeteringWriter:
    """Writes the finished calls' records and quota settlements, many calls per round trip.

    Calls that finish while a batch is being written wait for the next batch (a group commit): one
    call alone is written at once, as before; at 64 calls in flight, one round trip carries dozens of
    records and one quota update per subject instead of one per call — the hot rows of a service's
    quota were each call's lock to wait for. Each caller still returns only once its own record was
    written (or failed to be): what a request's answer says about metering stays true when it is read.
    """

    def __init__(self, pool: Pool) -> None:
        self._pool = pool
        self._batch: list[tuple[dict[str, object], Settlement | None]] = []
        self._written: asyncio.Future[None] | None = None  # resolves when the open batch is written
        self._writer: asyncio.Task[None] | None = None

    async def write(self, record: dict[str, object], settlement: Settlement | None) -> None:
        """Queue one call's record; return once it is in PostgreSQL (or its batch failed, logged)."""
        self._batch.append((record, settlement))
        if self._written is None:
            self._written = asyncio.get_running_loop().create_future()
        written = self._written
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        await asyncio.shield(written)  # a cancelled caller leaves its record to be written anyway

    async def _drain(self) -> None:
        while self._batch:
            batch, written = self._batch, self._written
            self._batch, self._written = [], None
            try:
                await self._write_batch(batch)
            except Exception:  # never raised, never left pending: the callers queued next wait on it
                logger.exception("metering of %d calls failed", len(batch))
            finally:
                assert written is not None
                written.set_result(None)

    async def _write_batch(self, batch: list[tuple[dict[str, object], Settlement | None]]) -> None:
        releases: dict[tuple[str, date], list[int]] = {}  # (subject, day) -> [tokens held, tokens used]
        for settlement in (settlement for _, settlement in batch if settlement is not None):
            for hold in settlement.holds:
                totals = releases.setdefault((hold.subject, settlement.day), [0, 0])
                totals[0] += hold.tokens
                totals[1] += settlement.used
        async with self._pool.connection() as conn, conn.pipeline():
            for (subject, day), (held, used) in sorted(releases.items()):  # subject order: no deadlock
                await repository.release(conn, subject, day, held, used)
            await repository.insert_usages(conn, [record for record, _ in batch])


async def finish(meter: MeteringWriter, call: Call, settlement: Settlement | None = None) -> None:
    """Close the span, settle the quota reservations and meter the request (batched with others).

    A failure here is logged, never raised: the answer has already gone to the caller.
    """
    latency_ms = (time.perf_counter() - call.started) * 1000
    _close_span(call)
    await meter.write(_record(call, latency_ms), settlement)


def _close_span(call: Call) -> None:
    span = call.span
    decision = call.decision
    attributes: dict[str, str | int | float | bool | list[str]] = {
        "gen_ai.provider.name": call.system,
        "gen_ai.usage.input_tokens": call.input_tokens,
        "gen_ai.usage.output_tokens": call.output_tokens,
        "ariane.policy.decision": "refused" if call.error and decision is None else "allowed",
        "ariane.request.stream": call.stream,
    }
    if call.response_model:
        attributes["gen_ai.response.model"] = call.response_model
    if call.policy_version is not None:
        attributes["ariane.policy.version"] = call.policy_version
    if call.assistant:
        attributes["ariane.assistant"] = call.assistant
    if call.classification is not None:
        attributes["ariane.policy.data_class"] = call.classification.data_class.value
        attributes["ariane.policy.findings"] = [f.value for f in call.classification.findings]
    if decision is not None:
        attributes["ariane.policy.rule"] = decision.rule
        attributes["ariane.policy.reason"] = decision.reason
        attributes["ariane.policy.requested_model"] = decision.requested_model
        attributes["ariane.policy.used_model"] = (call.used_model or decision.model).id
    if call.error is not None:
        attributes["error.type"] = call.error.code
        attributes["ariane.policy.reason"] = call.error.message
        span.set_status(Status(StatusCode.ERROR, call.error.code))
    span.set_attributes(attributes)
    span.end()


def _record(call: Call, latency_ms: float) -> dict[str, object]:
    decision = call.decision
    classification = call.classification
    reason = call.error.message if call.error else (decision.reason if decision else "")
    return {
        "operation": call.operation,
        "caller_kind": call.caller.kind.value,
        "caller_id": call.caller.id,
        "caller_name": call.caller.name,
        "service": call.caller.service,
        "job_category": call.caller.job_category,
        "assistant": call.assistant,
        "requested_model": call.requested_model[:256],
        "used_model": call.used_model.id if call.used_model else None,
        "data_class": classification.data_class.value if classification else None,
        "findings": [f.value for f in classification.findings] if classification else [],
        "rule": decision.rule if decision else None,
        "reason": reason,
        "status_code": call.status_code,
        "error_code": call.error.code if call.error else None,
        "stream": call.stream,
        "input_tokens": call.input_tokens,
        "output_tokens": call.output_tokens,
        "latency_ms": latency_ms,
        "cost_eur": call.cost,
        "policy_version": call.policy_version,
    }


def tracer_from(provider: trace.TracerProvider | None) -> Tracer:
    """The gateway's tracer, from an injected provider or the global one."""
    return trace.get_tracer("ariane.gateway", tracer_provider=provider)
