"""The local Microsoft 365 tenant as one ASGI app: the identity provider and Graph v1.0 (`/v1.0`)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from tools.tenant.directory import load_directory
from tools.tenant.dpi_api import Dpi, dpi_router
from tools.tenant.graph import create_graph_app, load_content
from tools.tenant.graph.subscription_store import Subscriptions
from tools.tenant.identity.codes import CodeStore
from tools.tenant.identity.issuer import TokenIssuer, issuer_for
from tools.tenant.identity.keys import load_or_create_signing_key
from tools.tenant.identity.refresh import RefreshTokenStore
from tools.tenant.identity.routes import IdentityProvider, identity_router
from tools.tenant.mail import load_mail
from tools.tenant.mail_api import mail_router
from tools.tenant.robot_api import SystemsLog, robot_router
from tools.tenant.settings import TenantSettings
from tools.tenant.telemetry import UNTRACED


def build_identity_provider(settings: TenantSettings) -> IdentityProvider:
    """Load the directory and the signing key (created on first start)."""
    directory = load_directory(settings.extra_data_dir)
    tokens = TokenIssuer(
        directory=directory,
        key=load_or_create_signing_key(settings.data_dir / "identity"),
        issuer=issuer_for(settings.base_url, directory.tenant.id),
        lifetime_seconds=settings.token_lifetime_seconds,
    )
    return IdentityProvider(
        directory=directory,
        tokens=tokens,
        settings=settings,
        codes=CodeStore(),
        refresh=RefreshTokenStore(settings.refresh_token_lifetime_seconds),
    )


def create_tenant_app(settings: TenantSettings) -> FastAPI:
    """The tenant app; single-page apps of any origin may call it, as they may call Entra ID and Graph."""
    provider = build_identity_provider(settings)
    content = load_content(settings.extra_data_dir)
    mail = load_mail(
        provider.directory, settings.data_dir / "mail" / "journal.jsonl", settings.extra_data_dir
    )
    kept = settings.data_dir / "mail" / "subscriptions.json"
    subscriptions = Subscriptions(provider.directory.tenant.id, kept)
    graph = create_graph_app(
        provider.directory, content, provider.tokens, f"{settings.base_url}/v1.0", mail, subscriptions
    )
    app = FastAPI(
        title="CHRU Exemple — tenant Microsoft 365 local", docs_url=None, redoc_url=None, telemetry=UNTRACED
    )
    app.state.identity = provider
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "PATCH"],
        allow_headers=["*"],
        max_age=3600,
    )
    app.include_router(identity_router(provider))
    systems = SystemsLog(settings.data_dir / "systems")
    app.state.systems = systems
    app.include_router(robot_router(provider.directory, systems, settings.robot_api_key.get_secret_value()))
    app.state.dpi = Dpi(settings.data_dir / "systems")
    app.include_router(dpi_router(app.state.dpi, settings.dpi_api_key.get_secret_value()))
    app.state.mail = mail
    app.state.subscriptions = subscriptions
    app.include_router(mail_router(mail, settings.mail_api_key.get_secret_value()))
    app.mount("/v1.0", graph)
    return app
