"""Inputs and structured results of the calendar tools."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from tools.m365.events import EventInfo


class EventSummary(BaseModel):
    """An event as lists show it (times in Europe/Paris, ISO 8601 with offset)."""

    id: str = Field(description="Identifiant de l'événement, pour get_event ou get_transcript.")
    subject: str
    start: datetime
    end: datetime
    location: str
    organizer: str = Field(description="Nom de l'organisateur.")
    online_meeting: bool = Field(description="Vrai s'il s'agit d'une réunion Teams.")

    @classmethod
    def of(cls, event: EventInfo) -> EventSummary:
        """The summary of an event record."""
        return cls(
            id=event.id,
            subject=event.subject,
            start=event.start,
            end=event.end,
            location=event.location,
            organizer=event.organizer_name,
            online_meeting=event.join_url is not None,
        )


class EventList(BaseModel):
    """Events between two instants, earliest first."""

    start: datetime
    end: datetime
    events: list[EventSummary]


class MeetingMatch(EventSummary):
    """A candidate meeting with how well its subject matches (0 to 1)."""

    score: float


class MeetingSearch(BaseModel):
    """Meetings matching a subject, best first; `window` is the period searched, if one was given."""

    subject: str
    window_first_day: date | None
    window_last_day: date | None
    matches: list[MeetingMatch]


class EventDetail(EventSummary):
    """An event with its participants and description."""

    organizer_email: str
    attendees: list[str] = Field(description="Adresses des participants invités.")
    body_preview: str
    join_url: str | None = Field(description="Lien Teams de la réunion, s'il y en a un.")

    @classmethod
    def detail(cls, event: EventInfo) -> EventDetail:
        """The detail of an event record."""
        return cls(
            **EventSummary.of(event).model_dump(),
            organizer_email=event.organizer,
            attendees=list(event.attendees),
            body_preview=event.body_preview,
            join_url=event.join_url,
        )
