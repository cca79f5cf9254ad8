"""Errors of the `/v1` surface, rendered in the OpenAI envelope.

The message is in the language of the request (`Accept-Language`, French by default) when the error
was raised with a catalogue text (`server/gateway/texts.py`); `type` and `code` never change with it.
An upstream's own answer is not an error here: it is passed on as it is.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.errors import ApiError, language_of
from server.messages import MESSAGES
from tools.i18n import DEFAULT_LANGUAGE, Language, Text

logger = logging.getLogger(__name__)


class GatewayError(Exception):
    """An expected failure of a model call: status, OpenAI `type` and `code`, and its message.

    `message` is a catalogue text (rendered in the caller's language) or a French string;
    `self.message` is always the French string (what the audit trail and the traces record).
    """

    status_code = 400
    type = "invalid_request_error"
    code = "invalid_request"

    def __init__(
        self,
        message: str | Text,
        *,
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.text = message if isinstance(message, Text) else None
        self.message = str(message)
        super().__init__(self.message)
        self.code = code or self.code
        self.param = param
        self.headers = headers

    @property
    def said(self) -> str | Text:
        """The message as raised: the catalogue text, or the French string (to quote it elsewhere)."""
        return self.text if self.text is not None else self.message

    def render(self, language: Language = DEFAULT_LANGUAGE) -> str:
        """The message in `language`."""
        return self.text.render(language) if self.text is not None else self.message

    def envelope(self, language: Language = DEFAULT_LANGUAGE) -> dict[str, object]:
        """The OpenAI error body, its message in `language`."""
        message = self.render(language)
        return {"error": {"message": message, "type": self.type, "param": self.param, "code": self.code}}


class InvalidRequestError(GatewayError):
    """Malformed body or parameter (400)."""


class AuthenticationError(GatewayError):
    """No valid token or service key (401)."""

    status_code = 401
    type = "authentication_error"
    code = "invalid_api_key"


class PermissionDeniedError(GatewayError):
    """The caller may not do this: model, data class, assistant (403)."""

    status_code = 403
    type = "permission_error"
    code = "model_not_allowed"


class ModelNotFoundError(GatewayError):
    """No such model in the catalogue, or declared but not configured (404)."""

    status_code = 404
    code = "model_not_found"


class PayloadTooLargeError(GatewayError):
    """The body is larger than the gateway accepts (413)."""

    status_code = 413
    code = "request_too_large"


class QuotaExceededError(GatewayError):
    """A daily token quota is used up (429, with `Retry-After`)."""

    status_code = 429
    type = "insufficient_quota"
    code = "quota_exceeded"


class PolicyUnavailableError(GatewayError):
    """No policy could be loaded: the gateway refuses everything (503)."""

    status_code = 503
    type = "server_error"
    code = "policy_unavailable"


class UpstreamError(GatewayError):
    """The provider failed after retries and fallbacks (502)."""

    status_code = 502
    type = "server_error"
    code = "upstream_error"


class UpstreamTimeoutError(UpstreamError):
    """The provider did not answer in time (504)."""

    status_code = 504
    code = "upstream_timeout"


def _render(status: int, body: dict[str, object], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


async def _gateway_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GatewayError)
    return _render(exc.status_code, exc.envelope(language_of(request)), exc.headers)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    # Authentication failures come from the shared authenticator in the /api hierarchy.
    assert isinstance(exc, ApiError)
    kind = {401: AuthenticationError, 403: PermissionDeniedError}.get(exc.status_code, GatewayError)
    error = kind(exc.text or exc.detail, code=exc.code, headers=exc.headers)
    return _render(exc.status_code, error.envelope(language_of(request)), exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = ", ".join(".".join(str(part) for part in error["loc"]) for error in exc.errors())
    error = InvalidRequestError(MESSAGES("gateway.invalid_request", fields=fields))
    return _render(400, error.envelope(language_of(request)))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    # Other statuses keep Starlette's own short phrase (« Method Not Allowed »).
    message = MESSAGES("gateway.not_found_path") if exc.status_code == 404 else str(exc.detail)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return _render(exc.status_code, GatewayError(message, code=code).envelope(language_of(request)))


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    error = GatewayError(MESSAGES("gateway.internal"), code="internal_error")
    error.type = "server_error"
    return _render(500, error.envelope(language_of(request)))


def install_gateway_error_handlers(app: FastAPI) -> None:
    """Render every error of the gateway app in the OpenAI envelope."""
    app.add_exception_handler(GatewayError, _gateway_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
