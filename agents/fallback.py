"""Why a model node answered without a generative model, said in the answer and recorded on the run.

Four causes, each told apart: no generative model is configured for the user at all; models exist
but none may receive this data class; the user's quota is spent; the model failed or replied
unusably. A bug in a node's own code is none of these: it is not caught here and fails the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import openai

from agents.messages import MESSAGES, say


class FallbackReason(StrEnum):
    """Why no generative model wrote the answer."""

    NO_MODEL = "no_model"  # no chat model configured, or none open to this user
    DATA_CLASS_REFUSED = "data_class_refused"  # models exist, none may receive this data
    QUOTA_EXCEEDED = "quota_exceeded"
    MODEL_FAILED = "model_failed"  # the gateway or the upstream failed
    MODEL_UNUSABLE = "model_unusable"  # the model answered, but not in the shape asked


class UnusableReplyError(Exception):
    """The model answered, but not what was asked (not the JSON, no verifiable citation)."""


# What a model node catches to fall back to local methods: failures and refusals of the gateway
# (OpenAI errors carry its message, in the run's language) and replies not in the shape asked.
# Nothing else: a `ValueError` raised by a node's own code is a bug, not « no model ».
MODEL_FAILURES = (openai.APIError, UnusableReplyError)


@dataclass(frozen=True)
class Fallback:
    """The cause, a sentence a user can read (in the run's language), and the model tried (if one was)."""

    reason: FallbackReason
    detail: str
    model: str | None = None

    def notice(self, what: str) -> str:
        """The italic first line of an extractive answer: the cause, then what the answer is made of."""
        return say("fallback.notice", detail=self.detail, what=what)

    def record(self) -> dict[str, Any]:
        """As stored on the run (`runs.fallback`) and in the audit trail's outcome."""
        return {"reason": self.reason.value, "detail": self.detail, "model": self.model}


def no_model(data_class: str, *, others_exist: bool) -> Fallback:
    """No model was tried: none configured for the user, or none allowed for this data class."""
    if others_exist:
        known = f"data_class.{data_class}" in MESSAGES.entries
        label = say(f"data_class.{data_class}") if known else data_class
        return Fallback(FallbackReason.DATA_CLASS_REFUSED, say("fallback.data_class_refused", label=label))
    return Fallback(FallbackReason.NO_MODEL, say("fallback.no_model"))


def failed(exc: Exception, model: str) -> Fallback:
    """A model was tried and did not give a usable answer: refused, quota, failure or unusable reply."""
    if isinstance(exc, UnusableReplyError):
        return Fallback(FallbackReason.MODEL_UNUSABLE, say("fallback.unusable", model=model), model)
    message = gateway_message(exc)
    if isinstance(exc, openai.RateLimitError) or _code(exc) == "quota_exceeded":
        detail = say("fallback.quota")
        return Fallback(FallbackReason.QUOTA_EXCEEDED, _with(detail, message), model)
    if isinstance(exc, openai.PermissionDeniedError):
        detail = say("fallback.refused", model=model)
        return Fallback(FallbackReason.DATA_CLASS_REFUSED, _with(detail, message), model)
    detail = say("fallback.failed", model=model)
    return Fallback(FallbackReason.MODEL_FAILED, _with(detail, message), model)


def gateway_message(exc: Exception) -> str:
    """The gateway's explanation of a failed model call (in the run's language), when it gave one."""
    if isinstance(exc, openai.APIStatusError) and isinstance(exc.body, dict):
        message = exc.body.get("message") or exc.body.get("error", {}).get("message")
        if message:
            return str(message).strip().rstrip(".")
    return ""


def _code(exc: Exception) -> str:
    if isinstance(exc, openai.APIStatusError) and isinstance(exc.body, dict):
        return str(exc.body.get("code") or exc.body.get("error", {}).get("code") or "")
    return ""


def _with(detail: str, message: str) -> str:
    return f"{detail} ({message})" if message else detail
