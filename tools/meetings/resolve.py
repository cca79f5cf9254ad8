"""Which online meeting the user means: a join URL, a meeting or event id, or a subject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.users.item.online_meetings.online_meetings_request_builder import (
    OnlineMeetingsRequestBuilder,
)
from msgraph.graph_service_client import GraphServiceClient

from tools.calendar.matching import MATCH_THRESHOLD, subject_score
from tools.calendar.service import close_meetings
from tools.m365 import Failure, GraphAccess, M365Error
from tools.m365.events import PARIS, EventInfo, all_events, get_event
from tools.mcp_common import ToolFailure, failure_from_m365
from tools.meetings.texts import TEXTS


@dataclass(frozen=True)
class OnlineMeeting:
    """What the tools need of a Graph `onlineMeeting`."""

    id: str
    subject: str
    start: datetime | None
    end: datetime | None
    organizer: str

    @classmethod
    def of(cls, meeting: dict[str, Any]) -> OnlineMeeting:
        """An `onlineMeeting` as Graph's JSON gives it."""
        organizer = ((meeting.get("participants") or {}).get("organizer") or {}).get("upn")
        return cls(
            id=str(meeting.get("id") or ""),
            subject=str(meeting.get("subject") or ""),
            start=_moment(meeting.get("startDateTime")),
            end=_moment(meeting.get("endDateTime")),
            organizer=str(organizer or ""),
        )


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    head, _, rest = value.partition(".")  # Graph may write 7 fractional digits
    zone = rest.lstrip("0123456789") if rest else ""
    return datetime.fromisoformat(head + (zone or "")).astimezone(PARIS)


async def by_join_url(graph: GraphAccess, client: GraphServiceClient, url: str) -> OnlineMeeting | None:
    """The online meeting with this join URL, if the user may see it."""
    escaped = url.replace("'", "''")
    params = OnlineMeetingsRequestBuilder.OnlineMeetingsRequestBuilderGetQueryParameters(
        filter=f"JoinWebUrl eq '{escaped}'"
    )
    builder = client.me.online_meetings
    page = await graph.read(
        builder, builder.to_get_request_information(RequestConfiguration(query_parameters=params))
    )
    found = page.get("value") if page else None
    return OnlineMeeting.of(found[0]) if found else None


async def _by_id(graph: GraphAccess, client: GraphServiceClient, meeting_id: str) -> OnlineMeeting | None:
    builder = client.me.online_meetings.by_online_meeting_id(meeting_id)
    try:
        found = await graph.read(builder, builder.to_get_request_information())
        return OnlineMeeting.of(found) if isinstance(found, dict) else None
    except M365Error as exc:
        if exc.failure in (Failure.NOT_FOUND, Failure.BAD_REQUEST):
            return None
        raise


async def _of_event(graph: GraphAccess, client: GraphServiceClient, event: EventInfo) -> OnlineMeeting:
    meeting = await by_join_url(graph, client, event.join_url) if event.join_url else None
    if meeting is None:
        raise ToolFailure(
            "not_transcribed", TEXTS("not_teams", subject=event.subject, day=f"{event.start:%d/%m/%Y}")
        )
    return meeting


async def _by_event_id(graph: GraphAccess, client: GraphServiceClient, event_id: str) -> OnlineMeeting | None:
    try:
        event = await get_event(graph, client, event_id)
    except M365Error as exc:
        if exc.failure in (Failure.NOT_FOUND, Failure.BAD_REQUEST):
            return None
        raise
    return await _of_event(graph, client, event)


async def _by_subject(graph: GraphAccess, client: GraphServiceClient, subject: str) -> OnlineMeeting:
    events = await all_events(graph, client)
    scored = sorted(
        ((subject_score(subject, e.subject), e) for e in events),
        key=lambda p: (-p[0], -p[1].start.timestamp()),
    )
    if not scored or scored[0][0] < MATCH_THRESHOLD:
        hint = close_meetings(subject, events)
        raise ToolFailure("not_found", TEXTS("no_meeting", subject=subject, hint=hint))
    return await _of_event(graph, client, scored[0][1])


async def resolve_meeting(graph: GraphAccess, client: GraphServiceClient, meeting: str) -> OnlineMeeting:
    """The online meeting `meeting` designates, among those the user may see.

    Raises:
        ToolFailure: `not_found` (with close subjects), `not_transcribed` for an event without Teams,
            or the failure of Graph.
    """
    text = meeting.strip()
    try:
        if text.lower().startswith(("http://", "https://")):
            found = await by_join_url(graph, client, text)
            if found is None:
                raise ToolFailure("not_found", TEXTS("no_meeting_for_link"))
            return found
        if text and not any(char.isspace() for char in text):
            found = await _by_id(graph, client, text) or await _by_event_id(graph, client, text)
            if found is not None:
                return found
        return await _by_subject(graph, client, text)
    except M365Error as exc:
        raise failure_from_m365(exc, TEXTS("the_meeting")) from exc
