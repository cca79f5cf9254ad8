"""Meeting summary workflow: find the meeting → read its transcript → points → verified citations."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.meetings import answer
from agents.meetings.points import Point, extractive_points, generative_points, main_block
from agents.meetings.request import match_speaker, read_request
from agents.models import MODEL_FAILURES, failure_reason
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


async def find_meeting(state: MeetingState, runtime: Runtime[RunContext]) -> MeetingState:
    """Resolve the meeting the user means among those of their calendar (subject, relative date)."""
    request = read_request(state["message"])
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
    request = read_request(state["message"])
    speaker = match_speaker(request.speaker_hint, state["message"], state["speakers"])
    if request.speaker_hint and speaker is None:
        name = request.speaker_hint.title()
        silent = answer.silent_speaker_answer(name, state["meeting"], state["speakers"])
        return {"outcome": "speaker_silent", "answer": silent}
    cues = main_block(state["cues"], speaker) if speaker else state["cues"]
    count = min(request.points or DEFAULT_POINTS, MAX_POINTS, len(cues))
    points, mode = await _points(cues, count, state["message"], context)
    title = state["meeting"].get("subject", "")
    meeting_id = state["meeting"]["id"]
    cited, dropped = answer.cite_points(points, state["cues"], state["transcript_id"], title, meeting_id)
    if speaker is not None:
        cited = [(point, citation) for point, citation in cited if citation.speaker == speaker]
    text = answer.summary_answer(
        cited, state["meeting"], speaker, request.points, extractive=mode == "extractive"
    )
    return {
        "outcome": "ok",
        "mode": mode,
        "answer": text,
        "citations": [citation.model_dump(mode="json") for _, citation in cited],
        "dropped": [item.model_dump(mode="json") for item in dropped],
    }


async def _points(
    cues: list[dict[str, Any]], count: int, focus: str, context: RunContext
) -> tuple[list[Point], str]:
    model = await context.models.chat_model_for(context.data_class)
    if model is not None:
        try:
            return await generative_points(cues, count, focus, model, context), "generative"
        except MODEL_FAILURES as exc:
            await context.note("error", {"code": "model_fallback", "detail": _fallback_detail(exc)})
    return await extractive_points(cues, count, context), "extractive"


def _fallback_detail(exc: Exception) -> str:
    return f"Modèle non utilisé : {failure_reason(exc)} Réponse extractive à la place."


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
