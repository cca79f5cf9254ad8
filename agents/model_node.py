"""A model node's one move: write with the allowed model, or say why not and let the caller fall back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from agents.context import RunContext
from agents.fallback import MODEL_FAILURES, Fallback, failed
from agents.messages import say

T = TypeVar("T")


async def with_model(
    context: RunContext, write: Callable[[str], Awaitable[T]]
) -> tuple[T, None] | tuple[None, Fallback]:
    """`write(model)`'s result with the first chat model allowed for the run's data, or the fallback.

    The fallback names its cause (no model, refused for this data class, quota, failure, unusable
    reply); a model that was tried and failed is also announced to the user as an `error` event.
    """
    choice = await context.models.chat_model(context.data_class)
    if choice.model is None:
        assert choice.fallback is not None
        return None, choice.fallback
    try:
        return await write(choice.model), None
    except MODEL_FAILURES as exc:
        fallback = failed(exc, choice.model)
        detail = say("fallback.model_not_used", detail=fallback.detail)
        await context.note(
            "error", {"code": "model_fallback", "reason": fallback.reason.value, "detail": detail}
        )
        return None, fallback
