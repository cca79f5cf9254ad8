"""Calendar reads through msgraph-sdk, as plain records in the hospital's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
from msgraph.generated.models.event import Event
from msgraph.generated.users.item.calendar_view.calendar_view_request_builder import (
    CalendarViewRequestBuilder,
)
from msgraph.generated.users.item.events.events_request_builder import EventsRequestBuilder
from msgraph.graph_service_client import GraphServiceClient

from tools.m365.client import GraphAccess

PARIS = ZoneInfo("Europe/Paris")
_PAGE = 50
_MAX_PAGES = 40  # a calendar view of a few months; bounded so that a paging bug cannot loop forever


@dataclass(frozen=True)
class EventInfo:
    """What the tools need of an event."""

    id: str
    subject: str
    start: datetime
    end: datetime
    location: str
    organizer: str
    organizer_name: str
    attendees: tuple[str, ...]
    body_preview: str
    join_url: str | None


def _instant(value: DateTimeTimeZone | None) -> datetime:
    if value is None or not value.date_time:
        return datetime.fromtimestamp(0, UTC)
    moment = datetime.fromisoformat(value.date_time.split(".")[0])
    zone = UTC if (value.time_zone or "UTC").upper() == "UTC" else ZoneInfo(value.time_zone or "UTC")
    return moment.replace(tzinfo=zone).astimezone(PARIS)


def event_info(event: Event) -> EventInfo:
    """An SDK event as a record (times in Europe/Paris)."""
    organizer = event.organizer.email_address if event.organizer else None
    return EventInfo(
        id=event.id or "",
        subject=event.subject or "",
        start=_instant(event.start),
        end=_instant(event.end),
        location=(event.location.display_name or "") if event.location else "",
        organizer=(organizer.address or "") if organizer else "",
        organizer_name=(organizer.name or organizer.address or "") if organizer else "",
        attendees=tuple(
            a.email_address.address
            for a in event.attendees or []
            if a.email_address and a.email_address.address
        ),
        body_preview=event.body_preview or "",
        join_url=event.online_meeting.join_url if event.online_meeting else None,
    )


async def _all_pages(graph: GraphAccess, builder: Any, page: Any) -> list[EventInfo]:
    """The events of `page` and of the pages after it (`@odata.nextLink`), bounded by `_MAX_PAGES`."""
    events = list(page.value or []) if page else []
    for _ in range(_MAX_PAGES):
        if not page or not page.odata_next_link:
            break
        page = await graph.call(builder.with_url(page.odata_next_link).get())
        events.extend(page.value or [] if page else [])
    return [event_info(event) for event in events]


async def calendar_view(
    graph: GraphAccess, client: GraphServiceClient, start: datetime, end: datetime
) -> list[EventInfo]:
    """The user's events overlapping [start, end), following `@odata.nextLink`."""
    params = CalendarViewRequestBuilder.CalendarViewRequestBuilderGetQueryParameters(
        start_date_time=start.astimezone(UTC).isoformat(),
        end_date_time=end.astimezone(UTC).isoformat(),
        top=_PAGE,
    )
    builder = client.me.calendar_view
    first = await graph.call(builder.get(RequestConfiguration(query_parameters=params)))
    return await _all_pages(graph, builder, first)


async def all_events(graph: GraphAccess, client: GraphServiceClient) -> list[EventInfo]:
    """Every event of the user's calendar, following `@odata.nextLink`."""
    params = EventsRequestBuilder.EventsRequestBuilderGetQueryParameters(top=_PAGE)
    builder = client.me.events
    first = await graph.call(builder.get(RequestConfiguration(query_parameters=params)))
    return await _all_pages(graph, builder, first)


async def get_event(graph: GraphAccess, client: GraphServiceClient, event_id: str) -> EventInfo:
    """One event of the user's calendar.

    Raises:
        M365Error: `not_found` when it does not exist or the user may not see it.
    """
    event = await graph.call(client.me.events.by_event_id(event_id).get())
    assert event is not None
    return event_info(event)
