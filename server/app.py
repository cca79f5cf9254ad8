"""The FastAPI application: lifespan (pool, HTTP client, token verifier) and routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from server import __version__
from server.auth.oidc import TokenVerifier
from server.auth.routes import router as auth_router
from server.auth.service import Authenticator
from server.context import AppContext
from server.errors import install_error_handlers
from server.health.routes import router as health_router
from server.settings import Settings
from server.web import web_router
from tools.database import open_pool
from tools.tenant.directory import load_directory
from tools.tenant.identity import issuer_for


def configured_issuer(settings: Settings) -> str:
    """The issuer whose tokens Ariane accepts: the configured one, else the embedded tenant's."""
    if settings.oidc_issuer:
        return settings.oidc_issuer.rstrip("/")
    return issuer_for(settings.tenant_url, load_directory().tenant.id)


def create_app(settings: Settings, *, identity_transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """Build the app. The database must already be migrated (`ariane up` and `ariane db migrate` do it).

    `identity_transport` lets tests reach an in-process identity provider instead of the network.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.database_url is None:
            raise RuntimeError("create_app needs settings.database_url (ariane up resolves the embedded one)")
        pool = await open_pool(settings.database_url.get_secret_value(), max_size=settings.db_pool_max)
        async with httpx.AsyncClient(transport=identity_transport) as http:
            issuer = configured_issuer(settings)
            verifier = TokenVerifier(issuer, settings.oidc_audience, http)
            app.state.context = AppContext(
                settings=settings,
                pool=pool,
                http=http,
                auth=Authenticator(verifier, pool, settings.role_groups),
                issuer=issuer,
            )
            try:
                yield
            finally:
                await pool.close()

    app = FastAPI(
        title="Ariane",
        version=__version__,
        description="Plateforme d'assistants IA institutionnelle — API",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(auth_router)
    app.include_router(web_router(settings.web_dist))  # last: it catches every other GET
    return app
