"""Calendar reads through msgraph-sdk, as plain records in the hospital's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiota_abstractions.base_request_configuration import RequestConfiguration
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


def _instant(value: dict[str, Any] | None) -> datetime:
    """A Graph `dateTimeTimeZone` in the hospital's time zone."""
    if not value or not value.get("dateTime"):
        return datetime.fromtimestamp(0, UTC)
    moment = datetime.fromisoformat(str(value["dateTime"]).split(".")[0])
    name = str(value.get("timeZone") or "UTC")
    zone = UTC if name.upper() == "UTC" else ZoneInfo(name)
    return moment.replace(tzinfo=zone).astimezone(PARIS)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def event_info(event: dict[str, Any]) -> EventInfo:
    """A Graph event (JSON) as a record (times in Europe/Paris)."""
    organizer = (event.get("organizer") or {}).get("emailAddress") or {}
    online = event.get("onlineMeeting") or {}
    return EventInfo(
        id=_text(event.get("id")),
        subject=_text(event.get("subject")),
        start=_instant(event.get("start")),
        end=_instant(event.get("end")),
        location=_text((event.get("location") or {}).get("displayName")),
        organizer=_text(organizer.get("address")),
        organizer_name=_text(organizer.get("name")) or _text(organizer.get("address")),
        attendees=tuple(
            address
            for attendee in event.get("attendees") or []
            if (address := _text((attendee.get("emailAddress") or {}).get("address")))
        ),
        body_preview=_text(event.get("bodyPreview")),
        join_url=_text(online.get("joinUrl")) or None,
    )


async def _all_pages(graph: GraphAccess, builder: Any, page: Any) -> list[EventInfo]:
    """The events of `page` and of the pages after it (`@odata.nextLink`), bounded by `_MAX_PAGES`."""
    events = list(page.get("value") or []) if page else []
    for _ in range(_MAX_PAGES):
        link = page.get("@odata.nextLink") if page else None
        if not link:
            break
        following = builder.with_url(link)
        page = await graph.read(following, following.to_get_request_information())
        events.extend(page.get("value") or [] if page else [])
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
    first = await graph.read(
        builder, builder.to_get_request_information(RequestConfiguration(query_parameters=params))
    )
    return await _all_pages(graph, builder, first)


async def all_events(graph: GraphAccess, client: GraphServiceClient) -> list[EventInfo]:
    """Every event of the user's calendar, following `@odata.nextLink`."""
    params = EventsRequestBuilder.EventsRequestBuilderGetQueryParameters(top=_PAGE)
    builder = client.me.events
    first = await graph.read(
        builder, builder.to_get_request_information(RequestConfiguration(query_parameters=params))
    )
    return await _all_pages(graph, builder, first)


async def get_event(graph: GraphAccess, client: GraphServiceClient, event_id: str) -> EventInfo:
    """One event of the user's calendar.

    Raises:
        M365Error: `not_found` when it does not exist or the user may not see it.
    """
    builder = client.me.events.by_event_id(event_id)
    event = await graph.read(builder, builder.to_get_request_information())
    assert isinstance(event, dict)
    return event_info(event)
