"""Errors of the `/api` surface: each expected failure has a stable code, a status and a detail.

The detail is French unless the caller asks English (`Accept-Language`): an error raised with a
catalogue text (`server.messages.MESSAGES`) is rendered in the caller's language; one raised with a
plain string stays French.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.contract import allowed_methods
from server.messages import MESSAGES
from tools.i18n import Language, Text, negotiate

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An expected failure, rendered as `{"error": code, "detail": detail}` with its status.

    `detail` is a catalogue text (rendered in the caller's language) or a French string; `self.detail`
    is always the French string.
    """

    status_code = 400
    code = "bad_request"

    def __init__(
        self, detail: str | Text, *, code: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self.text = detail if isinstance(detail, Text) else None
        self.detail = str(detail)
        super().__init__(self.detail)
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


def language_of(request: Request) -> Language:
    """The language the caller reads (`Accept-Language`, set by the web app), French by default."""
    return negotiate(request.headers.get("accept-language"))


def _render(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    detail = exc.text.render(language_of(request)) if exc.text is not None else exc.detail
    return _render(exc.status_code, exc.code, detail, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = ", ".join(".".join(str(part) for part in error["loc"]) for error in exc.errors())
    detail = MESSAGES.text("error.invalid_request", language_of(request), fields=fields)
    return _render(400, "invalid_request", detail)


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    language = language_of(request)
    detail = MESSAGES.text("error.not_found_path", language) if exc.status_code == 404 else str(exc.detail)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        # Starlette names the methods of the first route matching the path; a path served by
        # several routes (GET and POST declared apart) has them all.
        methods = allowed_methods(request)
        if methods:
            headers["Allow"] = ", ".join(methods)
        allowed = headers.get("Allow") or MESSAGES.text("error.none", language)
        detail = MESSAGES.text("error.method_not_allowed", language, allowed=allowed)
    return _render(exc.status_code, code, detail, headers or None)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _render(500, "internal_error", MESSAGES.text("error.internal", language_of(request)))


def install_error_handlers(app: FastAPI) -> None:
    """Render every error of the app in the `/api` envelope."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
