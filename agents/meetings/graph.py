"""Meeting summary workflow: find the meeting → read its transcript → points → verified citations."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.conversation import PriorTurn, history_of, is_follow_up
from agents.fallback import Fallback
from agents.meetings import answer
from agents.meetings.detail import point_detail
from agents.meetings.point import Point
from agents.meetings.points import extractive_points, generative_points, main_block
from agents.meetings.request import MeetingRequest, match_speaker, merged, point_reference, read_request
from agents.model_node import with_model
from agents.requests import names_meeting
from agents.state import AnswerState, stop_when_answered

MIN_SUBJECT_SCORE = 0.45
DEFAULT_POINTS = 5
MAX_POINTS = 10


class MeetingState(AnswerState, total=False):
    """What the meeting workflow knows so far."""

    meeting: dict[str, Any]
    transcript_id: str
    cues: list[dict[str, Any]]
    speakers: list[str]


def _earlier(state: MeetingState) -> PriorTurn | None:
    """The previous meeting-summary turn this message follows up on, if it does."""
    history = history_of(state)
    if is_follow_up(state["message"], history) and history[-1].workflow == "meeting_summary":
        return history[-1]
    return None


def _request(state: MeetingState) -> MeetingRequest:
    """What the user asks; a follow-up keeps the previous request's meeting (and speaker, count)."""
    current = read_request(state["message"])
    earlier = _earlier(state)
    if earlier is None:
        return current
    return merged(current, read_request(earlier.message), names_meeting(state["message"]))


async def find_meeting(state: MeetingState, runtime: Runtime[RunContext]) -> MeetingState:
    """Resolve the meeting the user means among those of their calendar (subject, relative date)."""
    request = _request(state)
    if not request.subject and request.when:
        return await _meeting_on(request.when, runtime.context)
    subject = request.subject or state["message"]
    arguments: dict[str, Any] = {"subject": subject}
    if request.when:
        arguments["around"] = request.when
    found = await runtime.context.tools.call("calendar", "find_meeting", arguments)
    if not found.ok and found.code == "not_found":
        return {"outcome": "meeting_not_found", "answer": answer.not_found_answer(subject, [])}
    if not found.ok:
        return {"outcome": found.code or "tool_error", "answer": found.message}
    matches = [match for match in found.data.get("matches", []) if match.get("online_meeting")]
    best = matches[0] if matches else None
    if best is None or best.get("score", 0) < MIN_SUBJECT_SCORE:
        return {"outcome": "meeting_not_found", "answer": answer.not_found_answer(subject, matches[:3])}
    return {"meeting": best}


async def _meeting_on(when: str, context: RunContext) -> MeetingState:
    """« La réunion de jeudi dernier »: the user's Teams meeting that day, if there is exactly one."""
    listed = await context.tools.call("calendar", "list_events", {"start": when, "end": when})
    if not listed.ok:
        return {"outcome": listed.code or "tool_error", "answer": listed.message}
    meetings = [event for event in listed.data.get("events", []) if event.get("online_meeting")]
    if len(meetings) == 1:
        return {"meeting": meetings[0]}
    if not meetings:
        return {"outcome": "meeting_not_found", "answer": answer.no_meeting_on(when)}
    return {"outcome": "ambiguous", "answer": answer.which_meeting(when, meetings)}


async def read_transcript(state: MeetingState, runtime: Runtime[RunContext]) -> MeetingState:
    """Read every page of the meeting's transcript."""
    result = await runtime.context.tools.whole_transcript(state["meeting"]["id"])
    if not result.ok:
        return {"outcome": result.code or "tool_error", "answer": result.message}
    return {
        "cues": result.data["cues"],
        "speakers": result.data.get("speakers", []),
        "transcript_id": result.data.get("transcript_id", ""),
    }


async def summarise(state: MeetingState, runtime: Runtime[RunContext]) -> MeetingState:
    """Make the points (a model if one is allowed, else extractive) and keep only verified citations."""
    context = runtime.context
    request = _request(state)
    earlier = _earlier(state)
    reference = point_reference(state["message"]) if earlier is not None else None
    if earlier is not None and reference is not None:
        detail = point_detail(reference, earlier, state["cues"], state["transcript_id"], state["meeting"])
        return detail  # type: ignore[return-value]
    speaker = match_speaker(None, state["message"], state["speakers"]) or match_speaker(
        request.speaker_hint, earlier.message if earlier else state["message"], state["speakers"]
    )
    if request.speaker_hint and speaker is None:
        name = request.speaker_hint.title()
        silent = answer.silent_speaker_answer(name, state["meeting"], state["speakers"])
        return {"outcome": "speaker_silent", "answer": silent}
    cues = main_block(state["cues"], speaker) if speaker else state["cues"]
    count = min(request.points or DEFAULT_POINTS, MAX_POINTS, len(cues))
    points, fallback = await _points(cues, count, state["message"], context, whole=speaker is None)
    title = state["meeting"].get("subject", "")
    meeting_id = state["meeting"]["id"]
    cited, dropped = answer.cite_points(points, state["cues"], state["transcript_id"], title, meeting_id)
    if speaker is not None:
        cited = [(point, citation) for point, citation in cited if citation.speaker == speaker]
    text = answer.summary_answer(cited, state["meeting"], speaker, request.points, fallback)
    return {
        "outcome": "ok",
        "mode": "generative" if fallback is None else "extractive",
        "fallback": None if fallback is None else fallback.record(),
        "answer": text,
        "citations": [citation.model_dump(mode="json") for _, citation in cited],
        "dropped": [item.model_dump(mode="json") for item in dropped],
    }


async def _points(
    cues: list[dict[str, Any]], count: int, focus: str, context: RunContext, *, whole: bool
) -> tuple[list[Point], Fallback | None]:
    written, fallback = await with_model(
        context, lambda model: generative_points(cues, count, focus, model, context)
    )
    if written is not None:
        return written, None
    return await extractive_points(cues, count, context, whole=whole), fallback


def build_meeting_graph() -> StateGraph[MeetingState, RunContext, MeetingState, MeetingState]:
    """The workflow's graph, to compile with a checkpointer."""
    graph = StateGraph(MeetingState, context_schema=RunContext)
    graph.add_node("find_meeting", find_meeting)
    graph.add_node("read_transcript", read_transcript)
    graph.add_node("summarise", summarise)
    graph.add_edge(START, "find_meeting")
    graph.add_conditional_edges("find_meeting", stop_when_answered, {"stop": END, "go": "read_transcript"})
    graph.add_conditional_edges("read_transcript", stop_when_answered, {"stop": END, "go": "summarise"})
    graph.add_edge("summarise", END)
    return graph
