"""The contract between the chat server and the agents: one turn in, events out, an outcome back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from agents.assistant import GENERAL_ASSISTANT, AssistantProfile
from agents.citations import Citation, DroppedCitation

EventKind = Literal[
    "token", "tool_start", "tool_end", "citation", "approval_required", "job", "error", "done"
]
Emit = Callable[[Any, dict[str, Any]], Awaitable[None]]


class Caller(BaseModel):
    """The user the agent acts for; `token` is their bearer token, passed to the gateway and the tools."""

    id: str
    email: str
    display_name: str
    roles: list[str]
    service: str = ""
    token: str = Field(repr=False)


class TurnRequest(BaseModel):
    """One user message in a thread."""

    run_id: str
    thread_id: str
    message: str
    caller: Caller
    workflow: str | None = None
    assistant: AssistantProfile = GENERAL_ASSISTANT
    now: datetime | None = None


class TurnOutcome(BaseModel):
    """What the agent answered, with verified citations; dropped ones are kept for the record."""

    answer: str
    mode: Literal["generative", "extractive"]
    workflow: str
    citations: list[Citation] = Field(default_factory=list)
    dropped: list[DroppedCitation] = Field(default_factory=list)
    # Set when the turn paused for a robot approval: the request to record, and where to resume.
    approval: dict[str, Any] | None = None


class AgentError(Exception):
    """A turn that cannot be answered for a reason the user can read (French), with a stable code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class TurnRunner(Protocol):
    """Runs one turn, emitting events (`token`, `tool_start`, `tool_end`, `citation`…) as it goes."""

    async def __call__(self, turn: TurnRequest, emit: Emit) -> TurnOutcome:
        """Run the turn; raise AgentError for a failure the user should read."""
        ...
