"""The door of the built-in MCP servers mounted at `/mcp`: a valid token of the configured issuer.

The tools exchange the caller's token on-behalf-of for a Microsoft 365 token; on the embedded tenant
that exchange trusts the local identity provider. When another issuer is configured while the
Microsoft 365 target is still local, a token minted by the local provider (whose sign-in page lets
anyone pick a user) would pass the exchange although Ariane itself refuses it. So every `/mcp`
request is authenticated here first, exactly as `/api` is: issuer, audience, signature and expiry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.auth.schemas import User
from server.errors import ApiError

Authenticate = Callable[[str], Awaitable[User]]


class McpGate:
    """ASGI wrapper: requests without a valid bearer token of the configured issuer get 401."""

    def __init__(self, app: ASGIApp, authenticate: Callable[[], Authenticate]) -> None:
        self._app = app
        self._authenticate = authenticate  # resolved per request: the app's lifespan builds it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate HTTP requests, then hand them to the MCP servers."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            await _refuse(401, "not_authenticated", "Connexion requise : présentez un jeton d'accès.")(
                scope, receive, send
            )
            return
        try:
            await self._authenticate()(token.strip())
        except ApiError as error:
            await _refuse(error.status_code, error.code, error.detail)(scope, receive, send)
            return
        await self._app(scope, receive, send)


def _refuse(status: int, code: str, detail: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)
