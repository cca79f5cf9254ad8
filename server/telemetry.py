"""Tracing: the tracer provider of one server process, and spans for HTTP requests.

The lifespan builds the provider (service resource, the audit span processor, OTLP export when
`OTEL_EXPORTER_OTLP_ENDPOINT` is set) and installs it for the process. OpenTelemetry's API keeps one
global provider that can be set only once, and libraries (the MCP SDK, other areas' code) take their
tracers from it; so the global is a small delegating provider, set once, that forwards to whichever
provider the running app installed — tests start many apps in one process, each with its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.propagate import extract
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor
from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import NoOpTracerProvider, SpanKind, Status, StatusCode
from opentelemetry.util.types import Attributes
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import __version__


class _DelegatingTracer(trace.Tracer):
    def __init__(self, owner: _DelegatingProvider, args: tuple[Any, ...]) -> None:
        self._owner = owner
        self._args = args

    def _target(self) -> trace.Tracer:
        return self._owner.current.get_tracer(*self._args)

    def start_span(self, *args: Any, **kwargs: Any) -> trace.Span:  # type: ignore[override]
        return self._target().start_span(*args, **kwargs)

    def start_as_current_span(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return self._target().start_as_current_span(*args, **kwargs)


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
        return _DelegatingTracer(
            self, (instrumenting_module_name, instrumenting_library_version, schema_url, attributes)
        )


_GLOBAL = _DelegatingProvider()  # the one process-wide hook OpenTelemetry's API requires


def build_provider(
    service_name: str, otlp_endpoint: str | None, processors: Sequence[SpanProcessor] = ()
) -> SdkTracerProvider:
    """A provider with the service resource, `processors` (the audit store) and OTLP when configured."""
    provider = SdkTracerProvider(
        resource=Resource.create({"service.name": service_name, "service.version": __version__})
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


_TRACED_PREFIXES = ("/api/", "/v1/", "/mcp/")


class TracingMiddleware:
    """One SERVER span per HTTP request to `/api`, `/v1` and `/mcp` (HTTP semantic conventions)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._tracer = trace.get_tracer("ariane.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(_TRACED_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}
        method = scope.get("method", "GET")
        span = self._tracer.start_span(
            f"{method} {path.split('/')[1]}",
            kind=SpanKind.SERVER,
            context=extract(headers),
            attributes={
                "http.request.method": method,
                "url.path": path,
                "url.scheme": scope.get("scheme", "http"),
            },
        )

        async def traced_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
            await send(message)

        try:
            with trace.use_span(span, end_on_exit=False):
                await self.app(scope, receive, traced_send)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None)
            if template:
                span.set_attribute("http.route", template)
                span.update_name(f"{method} {template}")
            span.end()
