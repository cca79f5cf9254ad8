"""Errors of the `/api` surface: each expected failure has a stable code, a status and a French detail."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.contract import allowed_methods

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An expected failure, rendered as `{"error": code, "detail": detail}` with its status."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self, detail: str, *, code: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.code
        self.headers = headers


class NotAuthenticatedError(ApiError):
    """No valid bearer token: the client must sign in (again)."""

    status_code = 401
    code = "not_authenticated"


class ForbiddenError(ApiError):
    """The user is known but may not do this."""

    status_code = 403
    code = "forbidden"


class NotFoundError(ApiError):
    """The thing does not exist, or the user may not know that it does."""

    status_code = 404
    code = "not_found"


class ServiceUnavailableError(ApiError):
    """A dependency (database, identity provider, upstream) cannot be reached right now."""

    status_code = 503
    code = "service_unavailable"


def _render(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return _render(exc.status_code, exc.code, exc.detail, exc.headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = ", ".join(".".join(str(part) for part in error["loc"]) for error in exc.errors())
    return _render(400, "invalid_request", f"Requête invalide ({fields}).")


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    detail = "Cette adresse n'existe pas." if exc.status_code == 404 else str(exc.detail)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        # Starlette names the methods of the first route matching the path; a path served by
        # several routes (GET and POST declared apart) has them all.
        methods = allowed_methods(request)
        if methods:
            headers["Allow"] = ", ".join(methods)
        detail = f"Méthode non permise sur cette adresse (permises : {headers.get('Allow', 'aucune')})."
    return _render(exc.status_code, code, detail, headers or None)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _render(500, "internal_error", "Erreur interne : l'incident est enregistré, réessayez plus tard.")


def install_error_handlers(app: FastAPI) -> None:
    """Render every error of the app in the `/api` envelope."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
