"""Routes of the signed-in user and the public sign-in configuration."""

from __future__ import annotations

from fastapi import APIRouter

from server.auth.schemas import AuthConfig, UserOut
from server.deps import Context, CurrentUser

router = APIRouter()


@router.get("/api/me", tags=["auth"])
async def me(user: CurrentUser) -> UserOut:
    """The signed-in user: profile and roles."""
    return user.public()


@router.get("/auth/config", tags=["auth"])
async def auth_config(context: Context) -> AuthConfig:
    """How the web app signs in: issuer, client id and scopes (public)."""
    settings = context.settings
    return AuthConfig(
        issuer=context.issuer,
        client_id=settings.oidc_web_client_id,
        scope=settings.oidc_scope,
        link_hosts=settings.answer_link_hosts,
        document_viewer=context.local_documents,
    )
