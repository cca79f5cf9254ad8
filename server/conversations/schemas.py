"""Shapes of feedback, conversation search and export."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

MAX_COMMENT_CHARS = 2000
MAX_QUERY_CHARS = 200


class Rating(StrEnum):
    """Thumbs up or down."""

    UP = "up"
    DOWN = "down"


class FeedbackIn(BaseModel):
    """`PUT /api/runs/{id}/feedback`: the user's rating of one answer, with an optional comment."""

    rating: Rating
    comment: str = Field("", max_length=MAX_COMMENT_CHARS)


class Feedback(BaseModel):
    """The user's feedback on one of their runs."""

    run_id: str
    rating: Rating
    comment: str
    updated_at: datetime


class AssistantFeedback(Feedback):
    """Feedback as the assistant's owner sees it: the exchange, not who gave it."""

    assistant_id: str
    assistant_version: int | None
    workflow: str | None
    mode: str | None
    request: str
    answer: str | None


class SearchHit(BaseModel):
    """A conversation matching a search, with the best matching passage (« » around the words)."""

    thread_id: str
    title: str
    assistant_id: str | None
    updated_at: datetime
    run_id: str | None
    snippet: str


class ExportFormat(StrEnum):
    """Formats a conversation exports to."""

    MARKDOWN = "markdown"
    DOCX = "docx"


class ExportLanguage(StrEnum):
    """Language of the export's fixed texts (headings, labels)."""

    FR = "fr"
    EN = "en"


class ToolEvent(BaseModel):
    """A stored tool event of a finished run, as it streamed live (the tool cards of a reopened thread)."""

    run_id: str
    seq: int
    type: Literal["tool_start", "tool_end"]
    data: dict[str, Any]
