"""Tracing: the tracer provider of one server process, and what FastAPI's own HTTP spans cover.

The lifespan builds the provider (service resource, the audit span processor, OTLP export when
`OTEL_EXPORTER_OTLP_ENDPOINT` is set) and installs it for the process. OpenTelemetry's API keeps one
global provider that can be set only once, and libraries (the MCP SDK, other areas' code) take their
tracers from it; so the global is a small delegating provider, set once, that forwards to whichever
provider the running app installed — tests start many apps in one process, each with its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor
from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_ON
from opentelemetry.trace import NoOpTracerProvider
from opentelemetry.util.types import Attributes

from server import __version__


def _mcp_noise(name: str, kind: trace.SpanKind) -> bool:
    """The MCP SDK's spans an auditor does without (see `_DelegatingProvider`)."""
    return kind is trace.SpanKind.CLIENT or name.endswith(("server/discover", "tools/list"))


class _DelegatingTracer(trace.Tracer):
    def __init__(
        self,
        owner: _DelegatingProvider,
        args: tuple[Any, ...],
        skip: Callable[[str, trace.SpanKind], bool] | None = None,
    ) -> None:
        self._owner = owner
        self._args = args
        self._skip = skip
        self._cached: tuple[trace.TracerProvider, trace.Tracer] | None = None

    def _target(self) -> trace.Tracer:
        provider = self._owner.current
        if self._cached is None or self._cached[0] is not provider:  # making a tracer is not free
            self._cached = (provider, provider.get_tracer(*self._args))
        return self._cached[1]

    def start_span(self, *args: Any, **kwargs: Any) -> trace.Span:
        return self._target().start_span(*args, **kwargs)

    def start_as_current_span(self, *args: Any, **kwargs: Any) -> Any:
        name = args[0] if args else kwargs.get("name", "")
        if self._skip is not None and self._skip(name, kwargs.get("kind", trace.SpanKind.INTERNAL)):
            # No span: the surrounding one stays current, and is what the trace context carries on.
            return trace.use_span(trace.get_current_span(kwargs.get("context")), end_on_exit=False)
        return self._target().start_as_current_span(*args, **kwargs)


# The Graph SDK (kiota) opens a dozen middleware spans per Graph call: a fifth of a chat turn's spans
# and of its tracing cost, for nothing an auditor reads (the tool server's and the tenant's spans say
# what was called). Its tracers are made no-op.
_SILENCED_SCOPES = ("kiota",)
# The MCP SDK opens a client span per message (« MCP send tools/call … ») beside the agents' own
# `execute_tool` span, a pair per session handshake (`server/discover`) and a server span per tool
# listing (`tools/list`, whose definitions the run records as `tool_list`): a third of a chat turn's
# spans. Those are not made; the server's `tools/call` span stays, nested under `execute_tool` through
# the trace context the SDK still carries in `_meta`.
_TRIMMED_SCOPES = {"mcp-python-sdk": _mcp_noise}


class _DelegatingProvider(trace.TracerProvider):
    def __init__(self) -> None:
        self.current: trace.TracerProvider = NoOpTracerProvider()

    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Attributes | None = None,
    ) -> trace.Tracer:
        if any(scope in instrumenting_module_name for scope in _SILENCED_SCOPES):
            return trace.NoOpTracer()
        return _DelegatingTracer(
            self,
            (instrumenting_module_name, instrumenting_library_version, schema_url, attributes),
            _TRIMMED_SCOPES.get(instrumenting_module_name),
        )


_GLOBAL = _DelegatingProvider()  # the one process-wide hook OpenTelemetry's API requires


def build_provider(
    service_name: str, otlp_endpoint: str | None, processors: Sequence[SpanProcessor] = ()
) -> SdkTracerProvider:
    """A provider with the service resource, `processors` (the audit store) and OTLP when configured."""
    provider = SdkTracerProvider(
        resource=Resource.create({"service.name": service_name, "service.version": __version__}),
        # Every span is recorded, whatever a caller's trace context says: the default sampler follows a
        # remote parent's "not sampled" flag, which would let any caller keep its requests out of the
        # audit store (`traceparent: …-00`).
        sampler=ALWAYS_ON,
    )
    for processor in processors:
        provider.add_span_processor(processor)
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=f"{otlp_endpoint.rstrip('/')}/v1/traces")
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


@contextmanager
def installed(provider: trace.TracerProvider) -> Iterator[trace.TracerProvider]:
    """Make `provider` the process's provider while the app runs (restored afterwards)."""
    if trace.get_tracer_provider() is not _GLOBAL:
        trace.set_tracer_provider(_GLOBAL)
    previous, _GLOBAL.current = _GLOBAL.current, provider
    try:
        yield provider
    finally:
        _GLOBAL.current = previous


_TRACED_PREFIXES = ("/api/", "/v1/")


def untraced(scope: MutableMapping[str, Any]) -> bool:
    """Requests FastAPI's own HTTP spans skip: the web app's files, and `/mcp`.

    The MCP SDK traces each message itself, in the caller's trace carried by the request's `_meta`.
    """
    return not str(scope.get("path", "")).startswith(_TRACED_PREFIXES)


# FastAPI's native telemetry makes the HTTP server spans; per-dependency spans would only add volume.
APP_TELEMETRY: dict[str, Any] = {"operation_spans": False, "exclude": untraced}
