"""Tool results: structured content on success, otherwise an `isError` message a user can act on.

The message is in the language of the call (`LANGUAGE_META`): a failure carries a catalogue text, built
where it is decided, and the result renders it for the reader.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from mcp.types import CallToolResult, TextContent
from mcp.types import ToolAnnotations as _ToolAnnotations
from pydantic import BaseModel
from pydantic_core import to_json

from tools.i18n import Language, Text
from tools.m365.errors import Failure, M365Error
from tools.mcp_common.texts import TEXTS

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
    "document_too_complex",
]


class ToolFailure(Exception):
    """An expected failure of a tool: a stable code for programs, a message for people.

    The message is a catalogue text, rendered in the caller's language by `tool_result`; a plain
    string is shown as it is (a text already in the caller's language, such as an API's detail).
    """

    def __init__(self, code: ErrorCode, text: Text | str) -> None:
        super().__init__(str(text))
        self.code = code
        self.text = text

    def render(self, language: Language) -> str:
        """The message in `language` (`str(failure)` is the French one, for logs)."""
        return self.text.render(language) if isinstance(self.text, Text) else self.text


def failure_from_m365(exc: M365Error, missing: Text) -> ToolFailure:
    """The failure for a Graph error; `missing` names what was looked for (« la réunion »).

    A thing the user may not see is reported like a missing one, so that nothing leaks about it.
    """
    if exc.failure is Failure.NOT_FOUND:
        return ToolFailure("not_found", TEXTS("m365.not_found", missing=missing))
    if exc.failure is Failure.ACCESS_DENIED:
        return ToolFailure("access_denied", TEXTS("m365.access_denied", missing=missing))
    if exc.failure is Failure.UNAUTHENTICATED:
        return ToolFailure("unauthenticated", TEXTS("m365.unauthenticated"))
    if exc.failure is Failure.BAD_REQUEST:
        return ToolFailure("bad_request", TEXTS("m365.bad_request", error=str(exc)))
    return ToolFailure("unavailable", TEXTS("m365.unavailable"))


async def tool_result(
    work: Callable[[], Awaitable[BaseModel | JsonObject]], language: Language
) -> CallToolResult:
    """Run a tool's work; its result becomes the structured result, a `ToolFailure` an error result.

    `language` is the caller's (`language_of(ctx)`), known even when the rest of the caller is not: a
    request without identity is refused in it too.

    The work returns its output model, or that model's JSON form directly (`JsonObject`), which spares
    building and validating models the SDK validates again. Either way the JSON form is built once and
    serialised once: the text content is that same JSON, compact.
    """
    try:
        outcome = await work()
    except ToolFailure as failure:
        return _error(failure, language)
    except M365Error as exc:  # a Graph failure the tool did not name more precisely
        return _error(failure_from_m365(exc, TEXTS("m365.this_resource")), language)
    data = outcome if isinstance(outcome, dict) else outcome.model_dump(mode="json")
    return CallToolResult(
        content=[TextContent(type="text", text=to_json(data).decode())],
        structured_content=data,
    )


def _error(failure: ToolFailure, language: Language) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=failure.render(language))],
        is_error=True,
        _meta={ERROR_META: failure.code},
    )
