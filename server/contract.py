"""`/openapi.json` as the whole contract: every route's answers, errors included, and `Allow` on 405.

One mechanism for every route, present and future (other areas add routes all the time): the
generated document gets, on each `/api` operation, the error answers the platform gives anywhere —
the edges (400 bad input, 413, 431), authentication and authorisation (401, 403), unknown things
(404), conflicts on writes (409), an unavailable dependency (503) — in the `{"error", "detail"}`
envelope, and FastAPI's own 422 (never sent: validation errors are 400 here) is removed — a 422 a
route declares itself (content that parses but is refused, such as a table that is not one) stays. A method a
path does not support answers 405 with the `Allow` header listing every method the path has.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BeforeValidator
from starlette.requests import Request

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _a_date_not_a_number(value: Any) -> Any:
    """An ISO 8601 date, as the contract says: pydantic alone reads `0.5` or `false` as a Unix time."""
    if isinstance(value, bool | int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value.strip())):
        raise ValueError("une date ISO 8601 est attendue")
    return value


# A date-time field of a request: what `/openapi.json` says (`format: date-time`) and nothing else.
IsoDateTime = Annotated[datetime, BeforeValidator(_a_date_not_a_number)]

_ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "description": "Code stable de l'erreur."},
        "detail": {"type": "string", "description": "Explication en français."},
    },
}
_EVERYWHERE = {
    "400": "Requête invalide (champ, texte avec caractère nul ou Unicode invalide, JSON trop imbriqué).",
    "401": "Authentification requise ou jeton invalide.",
    "403": "Profil non autorisé.",
    "404": "Introuvable, ou non visible pour cet utilisateur.",
    "413": "Corps de requête trop volumineux.",
    "431": "En-têtes trop nombreux ou trop longs.",
    "503": "Dépendance indisponible (base de données, fournisseur d'identité, outil).",
}
_WRITES = {"409": "Conflit avec l'état présent (déjà pris, déjà décidé, expiré…)."}
_PUBLIC = {"400", "404", "413", "431", "503"}  # routes without a user: no 401/403
_PUBLIC_PATHS = ("/healthz", "/readyz", "/auth/config", "/api/automations/graph-notifications")


def route_errors(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=` for the errors only it gives (a 415, a 422), in the error envelope."""
    return {
        code: {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code, description in descriptions.items()
    }


def install_contract(app: FastAPI) -> None:
    """Make `app.openapi()` document the error answers of every operation."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
            for path, operations in schema.get("paths", {}).items():
                for method, operation in operations.items():
                    _document_errors(path, method, operation)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_errors(path: str, method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    if "HTTPValidationError" in str(responses.get("422", {})):
        responses.pop("422")
    errors = dict(_EVERYWHERE)
    if method in {"post", "put", "patch", "delete"}:
        errors |= _WRITES
    if path.startswith(_PUBLIC_PATHS):
        errors = {code: text for code, text in errors.items() if code in _PUBLIC}
    for code, description in errors.items():
        responses.setdefault(
            code,
            {
                "description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        )


def allowed_methods(request: Request) -> list[str]:
    """Every method the contract gives the request's path (empty: no such path).

    The most specific paths win, as in routing: `/api/assistants/options` is not
    `/api/assistants/{assistant_id}`.
    """
    app = request.app
    table: list[tuple[int, re.Pattern[str], list[str]]] | None = getattr(app.state, "allowed_methods", None)
    if table is None:
        paths = app.openapi().get("paths", {})
        table = [
            (
                path.count("{"),
                re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$"),
                [method.upper() for method in operations],
            )
            for path, operations in paths.items()
        ]
        app.state.allowed_methods = table
    path = request.url.path
    matches = [(rank, methods) for rank, pattern, methods in table if pattern.match(path)]
    if not matches:
        return []
    best = min(rank for rank, _ in matches)
    return sorted({method for rank, methods in matches if rank == best for method in methods})
