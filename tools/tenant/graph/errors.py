"""Graph's error envelope: `{"error": {"code", "message", "innerError": {...}}}`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException


class GraphError(Exception):
    """An expected failure, rendered with Graph's code and status."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message


def not_found(message: str = "The requested resource does not exist.") -> GraphError:
    """What Graph answers for a missing item, and for one the caller may not see."""
    return GraphError(404, "itemNotFound", message)


def bad_request(message: str) -> GraphError:
    """A malformed query or body."""
    return GraphError(400, "BadRequest", message)


def error_response(request: Request, status_code: int, code: str, message: str) -> JSONResponse:
    """The envelope, with the request ids Graph echoes so that support can trace a call."""
    request_id = str(uuid.uuid4())
    inner = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": request_id,
        "client-request-id": request.headers.get("client-request-id", request_id),
    }
    headers = {"request-id": request_id}
    if status_code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="", error="invalid_token"'
    return JSONResponse(
        {"error": {"code": code, "message": message, "innerError": inner}},
        status_code=status_code,
        headers=headers,
    )


def install_graph_error_handlers(app: FastAPI) -> None:
    """Every failure of the Graph app leaves in Graph's envelope, never FastAPI's `detail`."""

    async def on_graph_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, GraphError)
        return error_response(request, exc.status_code, exc.code, exc.message)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        return error_response(request, 400, "BadRequest", f"Invalid request: {exc}")

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return error_response(request, 404, "UnknownError", "Resource not found for the segment.")
        if exc.status_code == 405:
            return error_response(request, 405, "Request_BadRequest", "Method not allowed.")
        return error_response(request, exc.status_code, "UnknownError", str(exc.detail))

    app.add_exception_handler(GraphError, on_graph_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
