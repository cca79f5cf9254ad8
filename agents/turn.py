"""The contract between the chat server and the agents: one turn in, events out, an outcome back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from agents.assistant import GENERAL_ASSISTANT, AssistantProfile
from agents.citations import Citation, DroppedCitation
from agents.conversation import PriorTurn
from tools.i18n import Language

EventKind = Literal[
    "token",
    "tool_start",
    "tool_end",
    "citation",
    "approval_required",
    "confirmation_required",
    "job",
    "error",
    "done",
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
    # The language the user reads (their client's); the run's fixed texts are said in it (`agents.messages`).
    language: Language = "fr"


class HeldCall(BaseModel):
    """A tool call the registry held until the user confirms it: exactly what runs if they do.

    `digest` is the tool's approved definition digest when the call was held: a confirmation is
    only honoured while the tool is still approved as it was then.
    """

    server: str
    tool: str
    arguments: dict[str, Any]
    digest: str


class ToolDecision(BaseModel):
    """The user's decision on a held call; the run it starts carries it out."""

    call: HeldCall
    confirmed: bool


class AttachedPassage(BaseModel):
    """A passage of a file the user attached to the conversation, retrieved by the server for this turn."""

    attachment_id: str
    filename: str
    locator: str
    text: str
    heading: str | None = None
    similarity: float | None = None
    text_rank: float | None = None


class TurnRequest(BaseModel):
    """One user message in a thread."""

    run_id: str
    thread_id: str
    message: str
    caller: Caller
    workflow: str | None = None
    # The thread's earlier answered turns, oldest first (at most `conversation.MAX_TURNS`).
    history: list[PriorTurn] = Field(default_factory=list)
    assistant: AssistantProfile = GENERAL_ASSISTANT
    now: datetime | None = None
    # Set only by the server when the user decides on a held call: the run carries out that decision
    # (a confirmed call runs exactly as held, once).
    decision: ToolDecision | None = None
    # The conversation's attached files: their passages that best match the message (best first),
    # and the names of those attached since the previous message (the message carries them).
    attachments: list[AttachedPassage] = Field(default_factory=list)
    attached: list[str] = Field(default_factory=list)


class TurnOutcome(BaseModel):
    """What the agent answered, with verified citations; dropped ones are kept for the record."""

    answer: str
    mode: Literal["generative", "extractive"]
    workflow: str
    citations: list[Citation] = Field(default_factory=list)
    dropped: list[DroppedCitation] = Field(default_factory=list)
    # Set when the turn paused for a robot approval: the request to record, and where to resume.
    approval: dict[str, Any] | None = None
    # Set when the registry held a tool call until the user confirms it (part of the sealed outcome).
    pending_call: HeldCall | None = None
    # Why no generative model wrote the answer (`agents.fallback`: reason, detail, model), if so.
    fallback: dict[str, Any] | None = None


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
