"""The gateway as an ASGI app: mounted at `/v1` by `ariane up`, or served alone by `ariane gateway`.

The `/v1` app has its own error handlers (OpenAI envelope) and its own upstream HTTP client, shared by
all requests of the process. Its collaborators are built by `gateway_runtime`, inside the lifespan of
whichever app serves it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import psycopg
from fastapi import FastAPI
from opentelemetry.trace import TracerProvider
from psycopg.conninfo import make_conninfo

from server import __version__
from server.auth.schemas import User
from server.gateway import repository
from server.gateway.detection.people import NameBook
from server.gateway.embedding_cache import CachedEmbedder
from server.gateway.embeddings import EmbeddingModelUnavailableError, LocalEmbedder, TextEmbedder
from server.gateway.errors import install_gateway_error_handlers
from server.gateway.metering import tracer_from
from server.gateway.policy_store import PolicyStore
from server.gateway.providers import UpstreamClient
from server.gateway.routes import router
from server.gateway.service import Gateway
from server.gateway.upstream_transport import AiohttpTransport
from server.settings import Settings
from server.work.caches import Cache, CacheNotices
from tools.database import Pool, open_pool
from tools.tenant.directory import load_directory

logger = logging.getLogger(__name__)

_UPSTREAM_LIMITS = httpx.Limits(max_connections=512, max_keepalive_connections=128, keepalive_expiry=30)


@dataclass(frozen=True)
class GatewayOptions:
    """What tests and benchmarks inject: an upstream transport, a tracer provider, a shared embedder."""

    upstream_transport: httpx.AsyncBaseTransport | None = None
    tracer_provider: TracerProvider | None = None
    embedder: LocalEmbedder | None = None


def create_v1_app() -> FastAPI:
    """The `/v1` sub-application; `gateway_runtime` gives it its collaborators."""
    app = FastAPI(
        title="Ariane — passerelle LLM",
        version=__version__,
        description="API compatible OpenAI : /v1/models, /v1/chat/completions, /v1/embeddings.",
        docs_url=None,
        redoc_url=None,
        telemetry={"tracing": False, "operation_spans": False},  # traced by the app it is mounted in
    )
    install_gateway_error_handlers(app)
    app.include_router(router)
    return app


@asynccontextmanager
async def gateway_runtime(
    v1: FastAPI,
    settings: Settings,
    pool: Pool,
    authenticate_user: Callable[[str], Awaitable[User]],
    options: GatewayOptions | None = None,
) -> AsyncIterator[Gateway]:
    """Build the gateway for `v1` (policy, upstream client, embedder, pool) and close it afterwards.

    `pool` serves durable reads and writes (policy versions, service keys). The gateway's own pool
    commits quota and metering writes asynchronously (`synchronous_commit=off`): a call costs no
    disk flush, and a database crash can lose at most the last fraction of a second of metering.
    """
    options = options or GatewayOptions()
    assert settings.database_url is not None
    url = make_conninfo(settings.database_url.get_secret_value(), options="-c synchronous_commit=off")
    metering_pool = await open_pool(url, max_size=settings.db_pool_max)
    try:
        async with _runtime(v1, settings, pool, metering_pool, authenticate_user, options) as gateway:
            yield gateway
    finally:
        await metering_pool.close()


@asynccontextmanager
async def _runtime(
    v1: FastAPI,
    settings: Settings,
    pool: Pool,
    metering_pool: Pool,
    authenticate_user: Callable[[str], Awaitable[User]],
    options: GatewayOptions,
) -> AsyncIterator[Gateway]:
    store = PolicyStore(
        pool,
        settings.gateway_policy_file,
        settings.gateway_upstreams,
        settings.gateway_policy_refresh_seconds,
    )
    await store.reload()
    if store.error:
        logger.error("the gateway refuses every request: %s", store.error)
    embedder = options.embedder or LocalEmbedder(settings.gateway_embedding_threads)
    preload = None
    if settings.gateway_embeddings_preload and not embedder.loaded:
        preload = asyncio.create_task(_preload(embedder))
    vectors: TextEmbedder = embedder
    if settings.gateway_embedding_cache_days:
        vectors = CachedEmbedder(embedder, metering_pool, settings.gateway_embedding_cache_days)
    transport = options.upstream_transport or AiohttpTransport(_UPSTREAM_LIMITS)
    async with httpx.AsyncClient(transport=transport, follow_redirects=False) as http:
        gateway = Gateway(
            names=await name_book(pool),
            pool=metering_pool,
            durable_pool=pool,
            store=store,
            upstream=UpstreamClient(http, settings.gateway_retry_backoff_seconds),
            embedder=vectors,
            authenticate_user=authenticate_user,
            tracer=tracer_from(options.tracer_provider),
        )
        v1.state.gateway = gateway
        v1.state.max_body_bytes = settings.gateway_max_body_bytes
        v1.state.idempotency_claim_seconds = settings.gateway_idempotency_claim_seconds
        try:
            yield gateway
        finally:
            if preload is not None:
                preload.cancel()
            if options.embedder is None:
                embedder.close()


async def name_book(pool: Pool) -> NameBook:
    """The detectors' names: the local directory's people and the users Ariane has seen."""
    people = [user.display_name for user in load_directory().users]
    try:
        async with pool.connection() as conn:
            people += await repository.known_people(conn)
    except psycopg.Error:  # not migrated yet (`/readyz` says so): the directory's names meanwhile
        logger.warning("known users not readable from the database; the detectors know the directory's")
    return NameBook.of(people)


async def _preload(embedder: LocalEmbedder) -> None:
    try:
        await embedder.load()
    except EmbeddingModelUnavailableError as exc:
        logger.error("local embeddings unavailable: %s", exc)


def follow_caches(caches: CacheNotices, gateway: Gateway) -> None:
    """Drop the gateway's cached policy, service keys and assistants when another process changes them."""
    caches.on(Cache.POLICY, gateway.store.expire)
    caches.on(Cache.SERVICE_KEY, gateway.forget_keys)
    caches.on(Cache.ASSISTANT, gateway.assistants.forget)
