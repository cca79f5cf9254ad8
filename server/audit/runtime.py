"""The audit trail of one server process: writer, span processor, tracer provider, run auditor, service.

Built by the app's lifespan (`audit_runtime`). Nothing here is a module global: each app (tests start
many in one process) gets its own writer and provider, installed for the process while it runs.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from opentelemetry.sdk.trace import SpanProcessor
from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
from opentelemetry.trace import NoOpTracerProvider, TracerProvider

from server.audit import repository
from server.audit.anchors import AnchorBook, AnchorKey
from server.audit.legacy_evidence import import_legacy_evidence
from server.audit.processor import AuditSpanProcessor
from server.audit.recorder import Redactor, ServerAuditor
from server.audit.replay import Replayer
from server.audit.service import AuditService
from server.audit.versions import code_version, tool_definitions
from server.audit.writer import AuditWriter
from server.settings import Settings
from server.telemetry import build_provider, installed
from server.trace_context import signed_trace_context
from tools.database import Pool

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TelemetryOptions:
    """What tests and benchmarks inject: extra span processors (in-memory exporter), or no trail.

    `audit=False` turns the trail off to measure its cost; no setting does: in service, every run is
    audited.
    """

    processors: tuple[SpanProcessor, ...] = ()
    audit: bool = True


@dataclass(frozen=True)
class AuditRuntime:
    """What the lifespan hands on: the run auditor (for the agents) and the service (for `/api/audit`)."""

    auditor: ServerAuditor | None
    service: AuditService


def anchor_folder(settings: Settings) -> Path:
    """The folder of the embedded defaults' key file (and of earlier releases' anchors files)."""
    return settings.audit_anchor_dir or settings.data_dir / "audit"


def anchor_book(settings: Settings, pool: Pool) -> AnchorBook:
    """The anchors in the database, signed and checked with the key of the settings (or the key file)."""
    key = settings.audit_anchor_key.get_secret_value().encode() if settings.audit_anchor_key else None
    return AnchorBook(pool, AnchorKey(anchor_folder(settings), key))


@asynccontextmanager
async def audit_runtime(
    settings: Settings,
    pool: Pool,
    *,
    tool_servers: dict[str, Any],
    policy_version: Callable[[], Awaitable[int | None]],
    model_transport: httpx.AsyncBaseTransport | None,
    options: TelemetryOptions | None = None,
) -> AsyncIterator[AuditRuntime]:
    """Start the writer and the tracer provider; flush, anchor, uninstall at the end."""
    options = options or TelemetryOptions()
    book = anchor_book(settings, pool)
    writer = AuditWriter(
        pool, book, batch_size=settings.audit_batch_size, anchor_seconds=settings.audit_anchor_seconds
    )
    redact = Redactor.of(settings.audit_redact_patterns)
    processor = AuditSpanProcessor(writer, redact)
    processors = ((processor,) if options.audit else ()) + options.processors
    provider: TracerProvider = build_provider(
        settings.otel_service_name, settings.otel_exporter_otlp_endpoint, processors
    )
    if not processors and not settings.otel_exporter_otlp_endpoint:
        provider = NoOpTracerProvider()  # nothing would receive the spans: do not make them
    versions = {"code": code_version(), "tools": await tool_definitions(tool_servers)}
    auditor = ServerAuditor(
        writer, processor, versions, settings.audit_capture_content, redact, policy_version
    )
    replayer = Replayer(settings.internal_url, redact, versions, model_transport)
    trace_key = secrets.token_bytes(32)
    try:
        trace_key = await repository.trace_context_key(pool, trace_key)
    except psycopg.Error:  # not migrated yet (`/readyz` says so): this process's own key meanwhile
        logger.warning("trace-context key not readable from the database; using this process's own")
    await import_legacy_evidence(pool, anchor_folder(settings))
    writer.start()
    try:
        with installed(provider), signed_trace_context(trace_key):
            service = AuditService(pool, writer, book, replayer)
            yield AuditRuntime(auditor if options.audit else None, service)
    finally:
        if isinstance(provider, SdkTracerProvider):
            provider.shutdown()
        await writer.close()
