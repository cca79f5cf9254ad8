"""Structured results of the meetings tools."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from tools.meetings.vtt import Cue, format_timestamp


class MeetingRef(BaseModel):
    """The meeting a transcript belongs to."""

    online_meeting_id: str
    subject: str
    start: datetime | None
    end: datetime | None
    organizer: str


class TranscriptCue(BaseModel):
    """One caption: `start`/`end` are offsets from the start of the recording (`hh:mm:ss.mmm`)."""

    id: str | None = Field(description="Identifiant Teams de la réplique, à citer avec l'horodatage.")
    start: str
    end: str
    start_seconds: float
    speaker: str | None
    text: str

    @classmethod
    def of(cls, cue: Cue) -> TranscriptCue:
        """A parsed cue as the tools return it."""
        return cls(
            id=cue.id,
            start=format_timestamp(cue.start_ms),
            end=format_timestamp(cue.end_ms),
            start_seconds=cue.start_ms / 1000,
            speaker=cue.speaker,
            text=cue.text,
        )


class TranscriptPage(BaseModel):
    """A page of a meeting's transcript; ask again with `offset=next_offset` while it is not null."""

    meeting: MeetingRef
    transcript_id: str
    speakers: list[str] = Field(description="Intervenants de toute la réunion, par ordre d'apparition.")
    total_cues: int
    offset: int
    next_offset: int | None
    cues: list[TranscriptCue]


class TranscriptHit(BaseModel):
    """A cue that matches the search, with its rank score."""

    score: float
    cue: TranscriptCue


class TranscriptSearch(BaseModel):
    """Cues of one meeting matching words (and a speaker, if given), best first."""

    meeting: MeetingRef
    transcript_id: str
    query: str
    speaker: str | None
    total_hits: int
    hits: list[TranscriptHit]
