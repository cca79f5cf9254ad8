"""Shapes of the chat API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

MAX_MESSAGE_CHARS = 4000
MAX_TITLE_CHARS = 200
DEFAULT_TITLE = "Nouvelle conversation"


class EventType(StrEnum):
    """Typed events of a run's stream."""

    STARTED = "started"  # stored with the run: the stream's first event, at once
    TOKEN = "token"
    TOOL_START = "tool_start"
    TOOL_END = "tool_end"
    CITATION = "citation"
    APPROVAL_REQUIRED = "approval_required"
    CONFIRMATION_REQUIRED = "confirmation_required"
    JOB = "job"
    ERROR = "error"
    DONE = "done"


class RunStatus(StrEnum):
    """Where a run is."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"


class RunEvent(BaseModel):
    """One event of a run; `seq` orders them and lets a client reattach after the last it saw."""

    seq: int
    type: EventType
    data: dict[str, Any]


class ThreadCreate(BaseModel):
    """`POST /api/threads`."""

    title: str = Field(DEFAULT_TITLE, min_length=1, max_length=MAX_TITLE_CHARS)
    assistant_id: str | None = Field(None, max_length=100)


class ThreadRename(BaseModel):
    """`PATCH /api/threads/{id}`."""

    title: str = Field(min_length=1, max_length=MAX_TITLE_CHARS)


class Thread(BaseModel):
    """A conversation of one user."""

    id: str
    title: str
    assistant_id: str | None
    created_at: datetime
    updated_at: datetime


class RunCreate(BaseModel):
    """`POST /api/threads/{id}/runs`: the user's message and, optionally, the workflow they picked."""

    # The contract says what the service checks (`message_empty`, `message_too_long` keep their codes).
    message: str = Field(json_schema_extra={"minLength": 1, "maxLength": 4000, "pattern": r"\S"})
    workflow: str | None = None
    model: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="A model of `GET /api/assistants/{id}/models` to answer with (unset: the first allowed).",
    )


class Run(BaseModel):
    """A turn: the request, and once finished, the answer with its citations."""

    id: str
    thread_id: str
    status: RunStatus
    request: str
    workflow: str | None
    mode: str | None
    answer: str | None
    citations: list[dict[str, Any]]
    error: dict[str, Any] | None
    created_at: datetime
    finished_at: datetime | None
    assistant_id: str | None = None
    assistant_version: int | None = None
    # Why no generative model wrote the answer: `reason` (no_model, data_class_refused,
    # quota_exceeded, model_failed, model_unusable), `detail` (French), `model`.
    fallback: dict[str, Any] | None = None


class ThreadDetail(Thread):
    """A thread with its runs, oldest first."""

    runs: list[Run]
