"""`ariane gateway`: the gateway alone (a gateway replica), `/v1` plus `/healthz`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from server import __version__
from server.audit.runtime import audit_runtime
from server.auth.issuer import configured_issuer
from server.auth.oidc import TokenVerifier
from server.auth.service import Authenticator
from server.gateway.app import GatewayOptions, create_v1_app, follow_caches, gateway_runtime
from server.settings import Settings
from server.telemetry import APP_TELEMETRY
from server.work import CACHE_CHANNEL, CacheNotices, Notifications
from tools.database import open_pool


def create_gateway_app(
    settings: Settings,
    *,
    identity_transport: httpx.AsyncBaseTransport | None = None,
    options: GatewayOptions | None = None,
) -> FastAPI:
    """The gateway without the rest of Ariane; the database must already be migrated."""
    v1 = create_v1_app()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.database_url is None:
            raise RuntimeError("create_gateway_app needs settings.database_url")
        url = settings.database_url.get_secret_value()
        pool = await open_pool(url, max_size=settings.db_pool_max)
        notifications = Notifications(url, (CACHE_CHANNEL,))
        caches = CacheNotices(notifications)
        await notifications.start()
        try:
            async with httpx.AsyncClient(transport=identity_transport) as http:
                verifier = TokenVerifier(configured_issuer(settings), settings.oidc_audience, http)
                auth = Authenticator(verifier, pool, settings.role_groups)
                holder: dict[str, Any] = {}

                async def policy_version() -> int | None:
                    return int((await holder["gateway"].store.current()).version)

                # A replica's spans (`chat {model}` with the policy decision) join the callers' run traces
                # in the same audit store.
                async with (
                    audit_runtime(
                        settings, pool, tool_servers={}, policy_version=policy_version, model_transport=None
                    ),
                    gateway_runtime(v1, settings, pool, auth.authenticate, options) as gateway,
                ):
                    holder["gateway"] = gateway
                    follow_caches(caches, gateway)
                    yield
        finally:
            await notifications.close()
            await pool.close()

    app = FastAPI(
        title="Ariane — passerelle LLM",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        telemetry=APP_TELEMETRY,  # type: ignore[arg-type]
    )

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """Alive."""
        return {"status": "ok"}

    app.mount("/v1", v1)
    return app
