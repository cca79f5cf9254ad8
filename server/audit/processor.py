"""The span processor that writes every ended span into the audit store.

It also stamps the spans of a run with the run's identity (`ariane.run.id`, user, assistant): the run
registers its trace when it starts, and every span started in that trace in this process — gateway,
MCP client and server, graph nodes — carries the same attributes, so each can be read on its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import SpanKind, format_span_id, format_trace_id

from server.audit.writer import AuditWriter, Pending

RunAttributes = dict[str, str | int]
# The Graph SDK's middleware spans (a dozen per Graph call) are left to OTLP: the tool server's span and
# the tenant's HTTP span say what was called, the store need not hold the SDK's internals.
_SKIPPED_SCOPES = ("kiota",)
_STATUS = "http.response.status_code"
_UNAUTHENTICATED_SAMPLE_SECONDS = 60.0


def span_body(span: ReadableSpan) -> dict[str, Any]:
    """A span as recorded: what OTLP carries, in plain JSON."""
    context = span.get_span_context()
    assert context is not None
    return {
        "name": span.name,
        "kind": span.kind.name.lower(),
        "trace_id": format_trace_id(context.trace_id),
        "span_id": format_span_id(context.span_id),
        "parent_span_id": format_span_id(span.parent.span_id) if span.parent else None,
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "status": {"code": span.status.status_code.name.lower(), "description": span.status.description},
        "attributes": dict(span.attributes or {}),
        "events": [
            {"name": event.name, "time_ns": event.timestamp, "attributes": dict(event.attributes or {})}
            for event in span.events
        ],
        "links": [
            {
                "trace_id": format_trace_id(link.context.trace_id),
                "span_id": format_span_id(link.context.span_id),
            }
            for link in span.links
        ],
        "scope": span.instrumentation_scope.name if span.instrumentation_scope else None,
        "service": (span.resource.attributes.get("service.name") if span.resource else None),
    }


class AuditSpanProcessor(SpanProcessor):
    """Queues each ended span for the audit writer (never blocks the code that ends it)."""

    def __init__(self, writer: AuditWriter, redact: Callable[[Any], Any] = lambda value: value) -> None:
        self._writer = writer
        self._redact = redact  # span attributes hold URLs, headers, arguments: secrets are masked too
        self._unauthenticated_at = -_UNAUTHENTICATED_SAMPLE_SECONDS
        self._unauthenticated_dropped = 0
        self._runs: dict[int, RunAttributes] = {}

    def register(self, trace_id: int, attributes: RunAttributes) -> None:
        """Spans started in this trace from now on carry `attributes`."""
        self._runs[trace_id] = attributes

    def forget(self, trace_id: int) -> None:
        """The run is over."""
        self._runs.pop(trace_id, None)

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        """Stamp the run's attributes on a span of a registered trace."""
        attributes = self._runs.get(span.get_span_context().trace_id)
        if attributes:
            span.set_attributes(attributes)

    def on_end(self, span: ReadableSpan) -> None:
        """Queue the span."""
        scope = span.instrumentation_scope.name if span.instrumentation_scope else ""
        if any(skipped in scope for skipped in _SKIPPED_SCOPES):
            return
        extra: dict[str, Any] = {}
        if span.kind is SpanKind.SERVER and (span.attributes or {}).get(_STATUS) == 401:
            # Anyone can send requests without a valid token: storing each would let them fill the
            # store. One in a minute is kept (per process), with how many were left out before it.
            now = time.monotonic()
            if now - self._unauthenticated_at < _UNAUTHENTICATED_SAMPLE_SECONDS:
                self._unauthenticated_dropped += 1
                return
            extra = {"unauthenticated_left_out": self._unauthenticated_dropped}
            self._unauthenticated_at, self._unauthenticated_dropped = now, 0
        context = span.get_span_context()
        assert context is not None
        run_id = (span.attributes or {}).get("ariane.run.id")
        self._writer.submit(
            Pending(
                kind="span",
                trace_id=format_trace_id(context.trace_id),
                body=lambda: self._redact(span_body(span) | extra),
                run_id=str(run_id) if run_id else None,
                name=span.name,
            )
        )

    def shutdown(self) -> None:
        """Nothing to release: the writer is closed by the lifespan."""

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """The writer flushes asynchronously; see `AuditWriter.flush`."""
        return True
