"""Tool results: structured content on success, a French `isError` message a user can act on otherwise."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from mcp.types import CallToolResult, TextContent
from mcp.types import ToolAnnotations as _ToolAnnotations
from pydantic import BaseModel
from pydantic_core import to_json

from tools.m365.errors import Failure, M365Error

ERROR_META = "fr.chru-exemple.ariane/error"
READ_ONLY = _ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)

JsonObject = dict[str, Any]
"""A tool's result already in JSON form: what `model_dump(mode="json")` of its output model would give,
keys in the model's field order. The SDK validates it against that model before it leaves the server."""

ErrorCode = Literal[
    "unauthenticated",
    "not_found",
    "access_denied",
    "not_transcribed",
    "ambiguous",
    "bad_request",
    "unavailable",
    "invalid_inputs",
]


class ToolFailure(Exception):
    """An expected failure of a tool: a stable code for programs, a French message for people."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def failure_from_m365(exc: M365Error, missing: str) -> ToolFailure:
    """The French message for a Graph failure; `missing` names what was looked for (« la réunion »).

    A thing the user may not see is reported like a missing one, so that nothing leaks about it.
    """
    if exc.failure is Failure.NOT_FOUND:
        return ToolFailure(
            "not_found", f"Introuvable : {missing} n'existe pas ou ne vous est pas accessible."
        )
    if exc.failure is Failure.ACCESS_DENIED:
        return ToolFailure(
            "access_denied", f"Accès refusé : vous n'avez pas les droits pour consulter {missing}."
        )
    if exc.failure is Failure.UNAUTHENTICATED:
        return ToolFailure(
            "unauthenticated", "Votre session Microsoft 365 n'est pas valide : reconnectez-vous à Ariane."
        )
    if exc.failure is Failure.BAD_REQUEST:
        return ToolFailure("bad_request", f"Requête refusée par Microsoft 365 : {exc}.")
    return ToolFailure("unavailable", "Microsoft 365 indisponible : réessayez dans quelques minutes.")


async def tool_result(work: Callable[[], Awaitable[BaseModel | JsonObject]]) -> CallToolResult:
    """Run a tool's work; its result becomes the structured result, a `ToolFailure` an error result.

    The work returns its output model, or that model's JSON form directly (`JsonObject`), which spares
    building and validating models the SDK validates again. Either way the JSON form is built once and
    serialised once: the text content is that same JSON, compact.
    """
    try:
        outcome = await work()
    except ToolFailure as failure:
        return CallToolResult(
            content=[TextContent(type="text", text=failure.message)],
            is_error=True,
            _meta={ERROR_META: failure.code},
        )
    except M365Error as exc:  # a Graph failure the tool did not name more precisely
        unnamed = failure_from_m365(exc, "cette ressource")
        return CallToolResult(
            content=[TextContent(type="text", text=unnamed.message)],
            is_error=True,
            _meta={ERROR_META: unnamed.code},
        )
    data = outcome if isinstance(outcome, dict) else outcome.model_dump(mode="json")
    return CallToolResult(
        content=[TextContent(type="text", text=to_json(data).decode())],
        structured_content=data,
    )
