"""The whole of Ariane in one process without listening on any port (`ariane ask`, benchmarks, evals).

The app, the local tenant and the agents talk through in-process ASGI transports, so nothing needs
a free port and everything runs exactly the code of `ariane up`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI

from server.app import create_app
from server.cli.main import CliError, tenant_settings_for
from server.cli.texts import language_header
from server.gateway.app import GatewayOptions
from server.settings import Settings
from tools.tenant.app import create_tenant_app


@dataclass(frozen=True)
class InProcessAriane:
    """A running app and a client to it; `token_for` mints local tokens (embedded identity only)."""

    app: FastAPI
    client: httpx.AsyncClient
    tenant: FastAPI | None

    def token_for(self, email: str) -> str:
        """A bearer token for a user of the local directory.

        Raises:
            CliError: unknown user, or another issuer is configured.
        """
        from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID

        if self.tenant is None:
            raise CliError("--user needs the local identity provider; with another issuer pass --token")
        provider = self.tenant.state.identity
        user = provider.directory.user_by_mail(email)
        if user is None:
            raise CliError(f"unknown user {email!r}: not in the local directory")
        token: str = provider.tokens.access_token(
            user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
        )
        return token


@asynccontextmanager
async def in_process(
    settings: Settings, gateway: GatewayOptions | None = None
) -> AsyncIterator[InProcessAriane]:
    """Start the app (and, on the embedded defaults, the local tenant) in this process.

    `settings.database_url` must point at a migrated database (see `server.cli.main.database`);
    `gateway` injects upstreams (evaluations with a scripted model) or a shared embedder.
    """
    tenant = create_tenant_app(tenant_settings_for(settings)) if settings.embedded_identity else None
    identity = httpx.ASGITransport(app=tenant) if tenant is not None else None
    app = create_app(settings, identity_transport=identity, gateway=gateway, agents_in_process=True)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=settings.internal_url, timeout=600, headers=language_header()
        ) as client:
            yield InProcessAriane(app=app, client=client, tenant=tenant)
