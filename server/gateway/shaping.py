"""What the gateway changes in a request before it goes upstream: clamps, model name, stream usage."""

from __future__ import annotations

import json
from typing import Any

from server.gateway.errors import InvalidRequestError
from server.gateway.policy import Clamps, DataClass, Model, Policy, most_sensitive
from server.gateway.schemas import ChatRequest
from server.messages import MESSAGES


def declared_floor(policy: Policy, assistant: str | None, declared: DataClass | None) -> DataClass:
    """The data class a request starts from.

    It is the policy's default, raised to the declared class of the assistant named (if the policy
    declares it): the assistant is named by the caller, so naming one must never lower the class.
    The caller's own declaration can only raise it too.
    """
    known = policy.assistants.get(assistant) if assistant is not None else None
    floor = policy.default_data_class
    if known is not None:
        floor = most_sensitive(floor, known.data_class)
    return most_sensitive(floor, declared) if declared is not None else floor


def check_capabilities(model: Model, request: ChatRequest) -> None:
    """Refuse what the model cannot do.

    Raises:
        InvalidRequestError: tools or streaming asked of a model without them.
    """
    if request.tools and not model.capabilities.tools:
        raise InvalidRequestError(
            MESSAGES("gateway.tools_not_supported", model=model.id),
            param="tools",
            code="tools_not_supported",
        )
    if request.stream and not model.capabilities.streaming:
        raise InvalidRequestError(
            MESSAGES("gateway.stream_not_supported", model=model.id),
            param="stream",
            code="stream_not_supported",
        )


def apply_clamps(body: dict[str, Any], request: ChatRequest, clamps: Clamps) -> int:
    """Bound `max_tokens` (set it when absent) and `temperature`; return the output token bound."""
    field = "max_completion_tokens" if request.max_completion_tokens is not None else "max_tokens"
    asked = request.max_completion_tokens or request.max_tokens
    bound = min(asked, clamps.max_tokens) if asked else clamps.max_tokens
    body[field] = bound
    if request.temperature is not None:
        body["temperature"] = min(max(request.temperature, clamps.temperature_min), clamps.temperature_max)
    return bound


def upstream_body(body: dict[str, Any], model: Model, *, stream_usage: bool) -> tuple[bytes, bool]:
    """The JSON sent upstream for `model`, and whether the gateway (not the caller) asked for usage."""
    outgoing = dict(body)
    outgoing["model"] = model.upstream_name
    added_usage = False
    if outgoing.get("stream") and stream_usage:
        options = dict(outgoing.get("stream_options") or {})
        added_usage = not options.get("include_usage")
        options["include_usage"] = True
        outgoing["stream_options"] = options
    return json.dumps(outgoing, ensure_ascii=False, separators=(",", ":")).encode(), added_usage


def tools_bytes(request: ChatRequest) -> int:
    """Size of the tool definitions, which count in the prompt."""
    return len(json.dumps(request.tools).encode()) if request.tools else 0
