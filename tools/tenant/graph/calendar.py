"""`calendarView` and `events` of the signed-in user (and of `/users/{id}` when it is the same user)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Request, Response

from tools.tenant.graph.access import Principal
from tools.tenant.graph.errors import GraphError, bad_request, not_found
from tools.tenant.graph.paging import collection, page
from tools.tenant.graph.shapes import Json, event_json
from tools.tenant.graph.state import Caller, GraphState, State
from tools.tenant.graph.store import EventRecord
from tools.tenant.graph.users import resolve_user

router = APIRouter()
_PREFER_ZONE = re.compile(r'outlook\.timezone\s*=\s*"?([^";,]+)"?', re.IGNORECASE)
_EVENTS_PAGE = 10  # Graph's default page size for events


def visible_events(state: GraphState, caller: Principal) -> list[EventRecord]:
    """The caller's events (organised or attended), earliest first."""
    events = [event for event in state.content.events.values() if caller.sees_event(event)]
    return sorted(events, key=lambda event: (event.start, event.id))


def _output_zone(request: Request, response: Response) -> tuple[tzinfo, str]:
    match = _PREFER_ZONE.search(request.headers.get("prefer", ""))
    if match:
        try:
            zone = ZoneInfo(match.group(1).strip())
        except (ZoneInfoNotFoundError, ValueError):
            return UTC, "UTC"
        response.headers["Preference-Applied"] = f'outlook.timezone="{match.group(1).strip()}"'
        return zone, match.group(1).strip()
    return UTC, "UTC"


def _parse_instant(raw: str | None, name: str) -> datetime:
    if not raw:
        raise bad_request(
            "This request requires a time window specified by the query string parameters "
            "StartDateTime and EndDateTime."
        )
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"Invalid value for {name}: '{raw}'.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check_self(state: GraphState, caller: Principal, key: str) -> None:
    if resolve_user(state, key).id != caller.user.id:
        raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")


def _calendar_view(request: Request, response: Response, state: GraphState, caller: Principal) -> Json:
    start = _parse_instant(request.query_params.get("startDateTime"), "startDateTime")
    end = _parse_instant(request.query_params.get("endDateTime"), "endDateTime")
    zone = state.zone
    events = [
        event
        for event in visible_events(state, caller)
        if event.start.replace(tzinfo=zone) < end and event.end.replace(tzinfo=zone) > start
    ]
    out_zone, zone_name = _output_zone(request, response)
    chunk, next_link = page(request, state.base_url, events, default_top=_EVENTS_PAGE)
    values = [event_json(e, state.directory, zone, out_zone, zone_name) for e in chunk]
    return collection(f"{state.base_url}/$metadata#Collection(event)", values, next_link)


@router.get("/me/calendarView")
async def my_calendar_view(request: Request, response: Response, state: State, caller: Caller) -> Json:
    """Occurrences overlapping [startDateTime, endDateTime)."""
    return _calendar_view(request, response, state, caller)


@router.get("/users/{key}/calendarView")
async def user_calendar_view(
    key: str, request: Request, response: Response, state: State, caller: Caller
) -> Json:
    """Delegated access reaches the signed-in user's own calendar only."""
    _check_self(state, caller, key)
    return _calendar_view(request, response, state, caller)


@router.get("/me/events")
async def my_events(request: Request, response: Response, state: State, caller: Caller) -> Json:
    """All the caller's events, paged."""
    out_zone, zone_name = _output_zone(request, response)
    chunk, next_link = page(request, state.base_url, visible_events(state, caller), default_top=_EVENTS_PAGE)
    values = [event_json(e, state.directory, state.zone, out_zone, zone_name) for e in chunk]
    return collection(f"{state.base_url}/$metadata#users('{caller.user.id}')/events", values, next_link)


@router.get("/me/events/{event_id}")
async def my_event(event_id: str, request: Request, response: Response, state: State, caller: Caller) -> Json:
    """One event; someone else's event is reported missing, as Graph does."""
    event = state.content.events.get(event_id)
    if event is None or not caller.sees_event(event):
        raise not_found("The specified object was not found in the store.")
    out_zone, zone_name = _output_zone(request, response)
    body = event_json(event, state.directory, state.zone, out_zone, zone_name)
    return {"@odata.context": f"{state.base_url}/$metadata#users('{caller.user.id}')/events/$entity", **body}
