"""What the calendar tools do, as the calling user, independent of the MCP plumbing."""

from __future__ import annotations

from datetime import datetime

from tools.calendar.dates import DateExpressionError, DateRange, resolve_date
from tools.calendar.matching import MATCH_THRESHOLD, SUGGESTION_FLOOR, subject_score
from tools.calendar.schemas import EventDetail, EventList, EventSummary, MeetingMatch, MeetingSearch
from tools.calendar.texts import TEXTS
from tools.doctext.folding import fold
from tools.i18n import Text, joined
from tools.m365 import GraphAccess, M365Error
from tools.m365.events import PARIS, EventInfo, all_events, calendar_view, get_event
from tools.mcp_common import Caller, ToolFailure, failure_from_m365


def parse_bound(text: str, now: datetime, *, end: bool) -> datetime:
    """An ISO instant, or a French date expression (its first day for a start, the day after for an end).

    Raises:
        ToolFailure: `bad_request` for text that is neither.
    """
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if len(text.strip()) > 10:
            return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)
    except ValueError:
        pass
    try:
        first, after = resolve_date(text, now).bounds()
    except DateExpressionError:
        raise ToolFailure("bad_request", TEXTS("bad_bound", text=text)) from None
    return after if end else first


async def list_events(
    graph: GraphAccess, caller: Caller, start: str, end: str, query: str | None
) -> EventList:
    """The caller's events between two bounds, optionally those whose subject contains `query`."""
    first, last = parse_bound(start, caller.now, end=False), parse_bound(end, caller.now, end=True)
    if last <= first:
        raise ToolFailure("bad_request", TEXTS("period_reversed"))
    try:
        events = await calendar_view(graph, graph.client_for(caller.token), first, last)
    except M365Error as exc:
        raise failure_from_m365(exc, TEXTS("your_calendar")) from exc
    if query:
        events = [
            e
            for e in events
            if fold(query) in fold(e.subject) or subject_score(query, e.subject) >= MATCH_THRESHOLD
        ]
    return EventList(start=first, end=last, events=[EventSummary.of(e) for e in events])


def _window(around: str | None, now: datetime) -> DateRange | None:
    if not around:
        return None
    try:
        return resolve_date(around, now)
    except DateExpressionError:
        raise ToolFailure("bad_request", TEXTS("bad_around", text=around)) from None


async def _candidates(graph: GraphAccess, caller: Caller, window: DateRange | None) -> list[EventInfo]:
    client = graph.client_for(caller.token)
    try:
        if window is None:
            return await all_events(graph, client)
        start, after = window.bounds()
        return await calendar_view(graph, client, start, after)
    except M365Error as exc:
        raise failure_from_m365(exc, TEXTS("your_calendar")) from exc


def close_meetings(subject: str, events: list[EventInfo], limit: int = 3) -> Text | str:
    """The caller's own events that look like `subject`, a few, as a sentence for a refusal ("" if none)."""
    scored = sorted(((subject_score(subject, e.subject), e) for e in events), key=lambda pair: -pair[0])
    close = [
        TEXTS("subject_on_day", subject=e.subject, day=f"{e.start:%d/%m/%Y}")
        for score, e in scored[:limit]
        if score >= SUGGESTION_FLOOR
    ]
    return TEXTS("close_meetings", close=joined(close)) if close else ""


async def find_meeting(graph: GraphAccess, caller: Caller, subject: str, around: str | None) -> MeetingSearch:
    """Meetings of the caller whose subject matches, within the period `around` designates.

    Raises:
        ToolFailure: `not_found` (with the closest subjects the caller may see) when nothing matches.
    """
    window = _window(around, caller.now)
    events = await _candidates(graph, caller, window)
    scored = sorted(
        ((subject_score(subject, e.subject), e) for e in events), key=lambda pair: (-pair[0], pair[1].start)
    )
    matches = [
        MeetingMatch(**EventSummary.of(e).model_dump(), score=s) for s, e in scored if s >= MATCH_THRESHOLD
    ]
    if not matches:
        hint = close_meetings(subject, events)
        raise ToolFailure(
            "not_found",
            TEXTS("no_meeting_around", subject=subject, around=around, hint=hint)
            if around
            else TEXTS("no_meeting", subject=subject, hint=hint),
        )
    return MeetingSearch(
        subject=subject,
        window_first_day=window.first if window else None,
        window_last_day=window.last if window else None,
        matches=matches[:10],
    )


async def event_detail(graph: GraphAccess, caller: Caller, event_id: str) -> EventDetail:
    """One event of the caller's calendar."""
    try:
        return EventDetail.detail(await get_event(graph, graph.client_for(caller.token), event_id))
    except M365Error as exc:
        raise failure_from_m365(exc, TEXTS("the_event", id=event_id)) from exc
