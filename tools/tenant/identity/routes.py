"""HTTP endpoints of the local provider, at Entra ID's v2.0 paths under `/{tenant}`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from tools.tenant.directory import Directory, User
from tools.tenant.identity.clients import APP_ROLES, check_api_client, check_web_redirect_uri
from tools.tenant.identity.codes import CODE_LIFETIME_SECONDS, CodeStore, PendingCode
from tools.tenant.identity.issuer import (
    API_CLIENT_ID,
    ARIANE_API_AUDIENCE,
    GRAPH_AUDIENCE,
    GRAPH_SCOPES,
    WEB_CLIENT_ID,
    IdentityError,
    TokenIssuer,
)
from tools.tenant.identity.refresh import REFRESH_SCOPE, RefreshTokenStore
from tools.tenant.identity.signin import render_error_page, render_signin_page
from tools.tenant.settings import TenantSettings

_AUTHORIZE_PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)
OBO_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CLIENT_CREDENTIALS = "client_credentials"
REFRESH_GRANT = "refresh_token"


@dataclass
class IdentityProvider:
    """The provider's state: who is in the directory, how to sign, which codes and sessions are live."""

    directory: Directory
    tokens: TokenIssuer
    settings: TenantSettings
    codes: CodeStore
    refresh: RefreshTokenStore


def oauth_error(exc: IdentityError) -> JSONResponse:
    """Render an OAuth error as Entra ID does."""
    return JSONResponse(
        {"error": exc.error, "error_description": exc.description}, status_code=exc.status_code
    )


def identity_router(provider: IdentityProvider) -> APIRouter:
    """Discovery, keys, authorize (sign-in page) and token endpoints of the tenant."""
    router = APIRouter(tags=["identity"])
    tenant_id = provider.directory.tenant.id
    base = provider.settings.base_url

    @router.get(f"/{tenant_id}/v2.0/.well-known/openid-configuration")
    async def discovery() -> dict[str, object]:
        return {
            "issuer": provider.tokens.issuer,
            "authorization_endpoint": f"{base}/{tenant_id}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/{tenant_id}/oauth2/v2.0/token",
            "revocation_endpoint": f"{base}/{tenant_id}/oauth2/v2.0/revoke",
            "jwks_uri": f"{base}/{tenant_id}/discovery/v2.0/keys",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", REFRESH_GRANT, OBO_GRANT, CLIENT_CREDENTIALS],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "none"],
            "revocation_endpoint_auth_methods_supported": ["none"],
            "claims_supported": ["sub", "oid", "tid", "name", "preferred_username", "email", "groups"],
            "tenant_region_scope": "EU",
        }

    @router.get(f"/{tenant_id}/discovery/v2.0/keys")
    async def keys() -> dict[str, object]:
        return {"keys": [provider.tokens.key.public_jwk()]}

    @router.get(f"/{tenant_id}/oauth2/v2.0/authorize", response_class=HTMLResponse)
    async def authorize_page(request: Request) -> Response:
        params = {name: request.query_params.get(name, "") for name in _AUTHORIZE_PARAMS}
        try:
            _check_authorize_request(provider, params)
        except IdentityError as exc:
            return HTMLResponse(render_error_page(provider.directory, exc.description), exc.status_code)
        return HTMLResponse(render_signin_page(provider.directory, params))

    @router.post(f"/{tenant_id}/oauth2/v2.0/authorize")
    async def authorize_choice(request: Request) -> Response:
        form = await request.form()
        params = {name: str(form.get(name, "")) for name in _AUTHORIZE_PARAMS}
        try:
            _check_authorize_request(provider, params)
        except IdentityError as exc:
            return HTMLResponse(render_error_page(provider.directory, exc.description), exc.status_code)
        user = provider.directory.user_by_mail(str(form.get("login_hint", "")))
        if user is None:
            message = "Ce compte n'existe pas dans l'annuaire. Choisissez un compte de la liste."
            return HTMLResponse(render_signin_page(provider.directory, params, message), 400)
        code = provider.codes.issue(
            PendingCode(
                user_id=user.id,
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                scope=params["scope"],
                code_challenge=params["code_challenge"],
                nonce=params["nonce"] or None,
                expires_at=time.time() + CODE_LIFETIME_SECONDS,
            )
        )
        query = urlencode({"code": code, "state": params["state"]})
        return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=303)

    @router.post(f"/{tenant_id}/oauth2/v2.0/token")
    async def token(
        grant_type: Annotated[str, Form()],
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form()] = None,
        code: Annotated[str | None, Form()] = None,
        redirect_uri: Annotated[str | None, Form()] = None,
        code_verifier: Annotated[str | None, Form()] = None,
        assertion: Annotated[str | None, Form()] = None,
        scope: Annotated[str | None, Form()] = None,
        refresh_token: Annotated[str | None, Form()] = None,
    ) -> Response:
        try:
            if grant_type == "authorization_code":
                body = _redeem_code(provider, client_id or "", code, redirect_uri or "", code_verifier)
            elif grant_type == REFRESH_GRANT:
                body = _refresh(provider, client_id or "", refresh_token, scope)
            else:
                body = _confidential_grant(provider, grant_type, client_id, client_secret, assertion, scope)
        except IdentityError as exc:
            return oauth_error(exc)
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    _add_revocation(router, provider, f"/{tenant_id}/oauth2/v2.0/revoke")
    return router


def _add_revocation(router: APIRouter, provider: IdentityProvider, path: str) -> None:
    """The revocation endpoint (RFC 7009), which the web app calls when the user signs out."""

    @router.post(path)
    async def revoke(
        token: Annotated[str, Form()],
        client_id: Annotated[str | None, Form()] = None,
        token_type_hint: Annotated[str | None, Form()] = None,
    ) -> Response:
        """RFC 7009 for the web client's sign-out: its refresh token (and the session) end here.

        Access tokens are signed and short-lived, not kept: revoking one changes nothing, and the
        RFC lets the answer be 200 all the same, as for a token the provider does not know.
        """
        del token_type_hint  # the store finds refresh tokens whatever the hint says
        try:
            if client_id != WEB_CLIENT_ID:
                raise IdentityError("invalid_client", "Client authentication failed.", 401)
            provider.refresh.revoke(token, client_id=client_id)
        except IdentityError as exc:
            return oauth_error(exc)
        return Response(status_code=200, headers={"Cache-Control": "no-store"})


def _confidential_grant(
    provider: IdentityProvider,
    grant_type: str,
    client_id: str | None,
    client_secret: str | None,
    assertion: str | None,
    scope: str | None,
) -> dict[str, object]:
    """The grants of the confidential API client: on-behalf-of a user, or as itself."""
    if grant_type not in (OBO_GRANT, CLIENT_CREDENTIALS):
        raise IdentityError("unsupported_grant_type", f"Grant type '{grant_type}' is not supported.")
    check_api_client(client_id, client_secret, provider.settings.api_client_secret)
    if grant_type == OBO_GRANT:
        return _on_behalf_of(provider, assertion, scope or "")
    return _client_credentials(provider, client_id or "", scope or "")


def _check_authorize_request(provider: IdentityProvider, params: dict[str, str]) -> None:
    check_web_redirect_uri(params["client_id"], params["redirect_uri"], provider.settings.web_redirect_uris)
    if params["response_type"] != "code":
        raise IdentityError("unsupported_response_type", "Only the authorization code flow is supported.")
    if params["code_challenge_method"] != "S256" or len(params["code_challenge"]) < 43:
        raise IdentityError("invalid_request", "A PKCE code challenge (S256) is required.")


def _redeem_code(
    provider: IdentityProvider, client_id: str, code: str | None, redirect_uri: str, verifier: str | None
) -> dict[str, object]:
    if not code or not verifier:
        raise IdentityError("invalid_request", "The code and the PKCE code verifier are required.")
    pending = provider.codes.redeem(
        code, client_id=client_id, redirect_uri=redirect_uri, code_verifier=verifier
    )
    user = provider.directory.user_by_id(pending.user_id)
    if user is None:
        raise IdentityError("invalid_grant", "The user no longer exists.")
    body = _user_tokens(provider, user, client_id, pending.scope, pending.nonce)
    if REFRESH_SCOPE in pending.scope.split():
        body["refresh_token"] = provider.refresh.issue(
            user_id=user.id, client_id=client_id, scope=pending.scope
        )
    return body


def _refresh(
    provider: IdentityProvider, client_id: str, refresh_token: str | None, scope: str | None
) -> dict[str, object]:
    """Renew the web client's tokens without the user: the refresh token is rotated at each use."""
    if not refresh_token:
        raise IdentityError("invalid_request", "The refresh token is required.")
    if client_id != WEB_CLIENT_ID:
        raise IdentityError("unauthorized_client", f"Unknown application '{client_id}'.")
    grant, following = provider.refresh.rotate(refresh_token, client_id=client_id, scope=scope)
    user = provider.directory.user_by_id(grant.user_id)
    if user is None:
        provider.refresh.revoke_user(grant.user_id)
        raise IdentityError("invalid_grant", "The user no longer exists.")
    return _user_tokens(provider, user, client_id, grant.scope, None) | {"refresh_token": following}


def _user_tokens(
    provider: IdentityProvider, user: User, client_id: str, granted: str, nonce: str | None
) -> dict[str, object]:
    """Ariane's access token, and the ID token, for a user signed in to the web client."""
    scope = " ".join(part for part in granted.split() if part.startswith(ARIANE_API_AUDIENCE))
    return {
        "token_type": "Bearer",
        "scope": scope,
        "expires_in": provider.tokens.lifetime_seconds,
        "access_token": provider.tokens.access_token(
            user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=client_id
        ),
        "id_token": provider.tokens.id_token(user, client_id=client_id, nonce=nonce),
    }


def _on_behalf_of(provider: IdentityProvider, assertion: str | None, scope: str) -> dict[str, object]:
    if not assertion:
        raise IdentityError("invalid_request", "The user's token (assertion) is required.")
    if not scope.startswith(GRAPH_AUDIENCE):
        raise IdentityError(
            "invalid_scope", "Only Microsoft 365 API scopes can be requested on behalf of a user."
        )
    claims = provider.tokens.verify(assertion, audience=ARIANE_API_AUDIENCE)
    user = provider.directory.user_by_id(str(claims["oid"]))
    if user is None:
        raise IdentityError("invalid_grant", "The user no longer exists.")
    return {
        "token_type": "Bearer",
        "scope": GRAPH_SCOPES,
        "expires_in": provider.tokens.lifetime_seconds,
        "access_token": provider.tokens.access_token(
            user, audience=GRAPH_AUDIENCE, scope=GRAPH_SCOPES, client_id=API_CLIENT_ID
        ),
    }


def _client_credentials(provider: IdentityProvider, client_id: str, scope: str) -> dict[str, object]:
    """An app-only Graph token with the application permissions the client was granted."""
    if scope.strip() != f"{GRAPH_AUDIENCE}/.default":
        raise IdentityError(
            "invalid_scope", f"The client credentials flow asks for '{GRAPH_AUDIENCE}/.default' only."
        )
    roles = APP_ROLES.get(client_id, ())
    return {
        "token_type": "Bearer",
        "expires_in": provider.tokens.lifetime_seconds,
        "access_token": provider.tokens.app_token(client_id, audience=GRAPH_AUDIENCE, roles=roles),
    }
