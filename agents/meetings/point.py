"""One point of a meeting summary."""

from __future__ import annotations

from pydantic import BaseModel


class Point(BaseModel):
    """One point of the summary, grounded in cues of the transcript."""

    text: str
    cue_ids: list[str]
    quote: str
    speaker: str | None = None
    topic: str | None = None  # the agenda item it answers, as the chair announced it
