"""The trace context Ariane's parts pass each other, signed: no caller joins a run's trace.

FastAPI, the MCP SDK and the agents' model transport carry the W3C `traceparent` through
OpenTelemetry's global propagator. A caller could send one naming another user's run, and its
spans would be stored in that run's trace (and stamped with its identity). The propagator installed
here adds an HMAC of the trace and span ids (`ariane-trace-signature`, key shared by the replicas in
PostgreSQL) to what Ariane injects, and extracts a context only when that signature holds: any
other request starts a trace of its own.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.propagators.textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

SIGNATURE = "ariane-trace-signature"


class SignedTraceContext(TextMapPropagator):
    """W3C trace context, honoured only with Ariane's signature (the key of the running app)."""

    def __init__(self) -> None:
        self.key: bytes | None = None
        self._w3c = TraceContextTextMapPropagator()

    def _sign(self, trace_id: int, span_id: int) -> str:
        assert self.key is not None
        message = f"{trace_id:032x}-{span_id:016x}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:32]

    def inject(
        self, carrier: CarrierT, context: Context | None = None, setter: Setter[CarrierT] = default_setter
    ) -> None:
        """Inject `traceparent` (and `tracestate`) with the signature."""
        self._w3c.inject(carrier, context, setter)
        span = trace.get_current_span(context).get_span_context()
        if self.key is not None and span.is_valid:
            setter.set(carrier, SIGNATURE, self._sign(span.trace_id, span.span_id))

    def extract(
        self, carrier: CarrierT, context: Context | None = None, getter: Getter[CarrierT] = default_getter
    ) -> Context:
        """The carried context if signed by Ariane; else `context` unchanged (a new trace begins)."""
        base = context if context is not None else Context()
        signatures = getter.get(carrier, SIGNATURE)
        if self.key is None or not signatures:
            return base
        extracted = self._w3c.extract(carrier, context, getter)
        span = trace.get_current_span(extracted).get_span_context()
        if span.is_valid and hmac.compare_digest(signatures[0], self._sign(span.trace_id, span.span_id)):
            return extracted
        return base

    @property
    def fields(self) -> set[str]:
        """The carrier keys this propagator sets."""
        return {*self._w3c.fields, SIGNATURE}


_PROPAGATOR = SignedTraceContext()  # OpenTelemetry's propagator is process-wide: one, keyed per app


@contextmanager
def signed_trace_context(key: bytes) -> Iterator[Any]:
    """Install the signing propagator with `key` while the app runs (restored afterwards)."""
    if propagate.get_global_textmap() is not _PROPAGATOR:
        propagate.set_global_textmap(_PROPAGATOR)
    previous, _PROPAGATOR.key = _PROPAGATOR.key, key
    try:
        yield _PROPAGATOR
    finally:
        _PROPAGATOR.key = previous
