"""`onlineMeetings` (looked up by join URL), their transcripts and the transcripts' WebVTT content."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tools.tenant.graph.access import Principal
from tools.tenant.graph.errors import bad_request, not_found
from tools.tenant.graph.paging import collection, page
from tools.tenant.graph.shapes import Json, online_meeting_json, transcript_json
from tools.tenant.graph.state import Caller, GraphState, State
from tools.tenant.graph.store import EventRecord, OnlineMeetingRecord

router = APIRouter()
_JOIN_URL_FILTER = re.compile(r"^\s*joinweburl\s+eq\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)


def _meeting(
    state: GraphState, caller: Principal, meeting_id: str
) -> tuple[EventRecord, OnlineMeetingRecord]:
    event = state.content.meeting_event(meeting_id)
    if event is None or event.online_meeting is None or not caller.sees_event(event):
        raise not_found("The requested online meeting was not found.")
    return event, event.online_meeting


@router.get("/me/onlineMeetings")
async def find_meetings(request: Request, state: State, caller: Caller) -> Json:
    """Online meetings whose join URL is the one in `$filter` (Graph allows no other listing)."""
    raw = request.query_params.get("$filter", "")
    match = _JOIN_URL_FILTER.match(raw)
    if match is None:
        raise bad_request("Filter expression expected - /onlineMeetings?$filter=JoinWebUrl eq 'joinWebUrl'.")
    url = match.group(1).replace("''", "'")
    values = [
        online_meeting_json(event, event.online_meeting, state.directory, state.zone)
        for event in state.content.events.values()
        if event.online_meeting and event.online_meeting.join_web_url == url and caller.sees_event(event)
    ]
    return collection(f"{state.base_url}/$metadata#users('{caller.user.id}')/onlineMeetings", values, None)


@router.get("/me/onlineMeetings/{meeting_id}")
async def get_meeting(meeting_id: str, state: State, caller: Caller) -> Json:
    """One online meeting the caller organised or was invited to."""
    event, meeting = _meeting(state, caller, meeting_id)
    context = f"{state.base_url}/$metadata#users('{caller.user.id}')/onlineMeetings/$entity"
    return {"@odata.context": context, **online_meeting_json(event, meeting, state.directory, state.zone)}


@router.get("/me/onlineMeetings/{meeting_id}/transcripts")
async def list_transcripts(meeting_id: str, request: Request, state: State, caller: Caller) -> Json:
    """The meeting's transcripts (an empty list when it was not transcribed)."""
    event, meeting = _meeting(state, caller, meeting_id)
    chunk, next_link = page(request, state.base_url, meeting.transcripts, default_top=100)
    values = [transcript_json(ref, event, meeting.id, state.directory, state.base_url) for ref in chunk]
    context = (
        f"{state.base_url}/$metadata#users('{caller.user.id}')/onlineMeetings('{meeting.id}')/transcripts"
    )
    return collection(context, values, next_link)


@router.get("/me/onlineMeetings/{meeting_id}/transcripts/{transcript_id}")
async def get_transcript(meeting_id: str, transcript_id: str, state: State, caller: Caller) -> Json:
    """One transcript's metadata."""
    event, meeting = _meeting(state, caller, meeting_id)
    ref = next((ref for ref in meeting.transcripts if ref.id == transcript_id), None)
    if ref is None:
        raise not_found("The requested transcript was not found.")
    return transcript_json(ref, event, meeting.id, state.directory, state.base_url)


@router.get("/me/onlineMeetings/{meeting_id}/transcripts/{transcript_id}/content")
async def transcript_content(
    meeting_id: str, transcript_id: str, request: Request, state: State, caller: Caller
) -> Response:
    """The transcript as WebVTT, the only format served here (`$format=text/vtt` or none)."""
    _, meeting = _meeting(state, caller, meeting_id)
    if all(ref.id != transcript_id for ref in meeting.transcripts):
        raise not_found("The requested transcript was not found.")
    wanted = request.query_params.get("$format", "text/vtt")
    if wanted != "text/vtt":
        raise bad_request(f"The format '{wanted}' is not supported by this tenant; use text/vtt.")
    return Response(state.content.transcripts[transcript_id], media_type="text/vtt; charset=utf-8")
