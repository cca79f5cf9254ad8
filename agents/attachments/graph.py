"""Attachment question workflow: the files the user attached to the conversation → a grounded answer.

The server retrieves the conversation's passages for the message (`TurnRequest.attachments`, best
first) and names the files the message carries (`attached`, those attached since the previous
message). The answer is written from them like a document answer: the model (through the gateway,
which classifies the passages like any content it forwards) quotes them, and a quote is kept only if
it is found verbatim in its passage; without a model, the passages themselves, cited.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents.citations import SourceKind
from agents.context import RunContext
from agents.conversation import history_of, prompt_lines, standalone
from agents.documents.passages import Passage
from agents.fallback import Fallback, FallbackReason
from agents.grounded import extractive_answer, generative_answer
from agents.knowledge.graph import MAX_GENERATIVE_PASSAGES, scored_passages, shown_passages
from agents.messages import say
from agents.model_node import with_model
from agents.state import AnswerState
from agents.turn import TurnRequest


class AttachmentState(AnswerState, total=False):
    """What the workflow is given: the retrieved passages and the files the message carries."""

    attachments: list[dict[str, Any]]
    attached: list[str]


def _found(attachments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The passages in the shape the knowledge workflow scores (a file is its own document)."""
    return [
        {
            "document_id": item["attachment_id"],
            "title": item["filename"],
            "url": "",
            "locator": item["locator"],
            "heading": item.get("heading"),
            "text": item["text"],
            "similarity": item.get("similarity"),
            "text_rank": item.get("text_rank"),
        }
        for item in attachments
    ]


def bears_on(question: str, attachments: list[dict[str, Any]]) -> bool:
    """True when some attached passage holds most of the question (then the files should answer)."""
    return bool(scored_passages(question, _found(attachments)))


def answers_from_attachments(turn: TurnRequest) -> bool:
    """True when the conversation's attached files should answer this turn.

    They do when the message carries them, or when their passages hold most of the question: the
    files are the user's own sources for this conversation.
    """
    if not turn.attachments:
        return False
    if turn.attached:
        return True
    question = standalone(turn.message, list(turn.history)) if turn.history else turn.message
    return bears_on(question, [passage.model_dump(mode="json") for passage in turn.attachments])


def attachment_input(turn: TurnRequest) -> dict[str, Any]:
    """The workflow's own input, beside the message and the history."""
    return {
        "attachments": [passage.model_dump(mode="json") for passage in turn.attachments],
        "attached": list(turn.attached),
    }


def _passage(item: dict[str, Any]) -> Passage:
    return Passage(
        document_id=str(item["document_id"]),
        title=str(item["title"]),
        url="",
        locator=str(item["locator"]),
        text=str(item["text"]),
    )


async def respond(state: AttachmentState, runtime: Runtime[RunContext]) -> AttachmentState:
    """A grounded answer from the attached files, citations checked; or « not covered »."""
    context = runtime.context
    history = history_of(state)
    question = standalone(state["message"], history)
    own = state["message"] if question != state["message"] else ""
    found = _found(state.get("attachments") or [])
    scored = scored_passages(question, found, own)
    if not scored and state.get("attached") and found:
        # The message carries the files (« Résume ce document ») and shares no words with them:
        # their best passages, as the server ranked them.
        scored = [(0.0, _passage(item)) for item in found[:MAX_GENERATIVE_PASSAGES]]
    if not scored:
        refusal = say("attachments.not_covered")
        return {"outcome": "not_covered", "answer": refusal, "mode": "extractive", "citations": []}
    relevant = [passage for _, passage in scored]
    written, fallback = await with_model(
        context,
        lambda model: generative_answer(
            state["message"],
            relevant[:MAX_GENERATIVE_PASSAGES],
            model,
            context,
            source=SourceKind.ATTACHMENT,
            history=prompt_lines(history),
        ),
    )
    dropped: list[dict[str, Any]] = []
    if written is not None:
        if written["citations"]:
            return written  # type: ignore[return-value]
        detail = say("fallback.citations_dropped")
        await context.note("error", {"code": "citations_dropped", "detail": detail})
        dropped = written["dropped"]
        fallback = Fallback(FallbackReason.MODEL_UNUSABLE, say("fallback.no_verified_citation_files"))
    assert fallback is not None
    extractive = extractive_answer(
        shown_passages(scored),
        fallback,
        question=question,
        focus=own,
        lead=say("attachments.lead"),
        source=SourceKind.ATTACHMENT,
    )
    return extractive | {"dropped": dropped}  # type: ignore[return-value]


def build_attachment_graph() -> StateGraph[AttachmentState, RunContext, AttachmentState, AttachmentState]:
    """The workflow's graph, to compile with a checkpointer."""
    graph = StateGraph(AttachmentState, context_schema=RunContext)
    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph
