"""Document question workflow: search → read → answer from passages with verified citations."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.conversation import history_of, prompt_lines, standalone
from agents.documents.passages import lexical_overlap, passages_of, rank
from agents.documents.synthesis import best_document, synthesis
from agents.grounded import extractive_answer, generative_answer
from agents.messages import say
from agents.model_node import with_model
from agents.requests import asks_document_synthesis, synthesis_subject
from agents.state import AnswerState, stop_when_answered

MAX_DOCUMENTS = 3
MAX_PASSAGES = 3
MIN_RELEVANCE = 0.32
MIN_OVERLAP = 0.5


class DocumentState(AnswerState, total=False):
    """What the document workflow knows so far."""

    documents: list[dict[str, Any]]


async def search(state: DocumentState, runtime: Runtime[RunContext]) -> DocumentState:
    """Find the documents the user may read that match the question, and read the best ones.

    « Une synthèse de DOCUMENT » reads that one document and synthesises it.
    """
    tools = runtime.context.tools
    if asks_document_synthesis(state["message"]):
        return await _synthesise(state["message"], runtime.context)
    query = standalone(state["message"], history_of(state))
    found = await tools.call("documents", "search_documents", {"query": query, "top": 5})
    if not found.ok:
        return {"outcome": found.code or "tool_error", "answer": found.message}
    hits = found.data.get("hits", [])[:MAX_DOCUMENTS]
    if not hits:
        return {"outcome": "not_covered", "answer": say("documents.not_covered"), "mode": "extractive"}
    documents = []
    for hit in hits:
        read = await tools.call("documents", "read_document", {"id": hit["id"]})
        if read.ok:
            documents.append(read.data)
    return {"documents": documents}


async def _synthesise(message: str, context: RunContext) -> DocumentState:
    subject = synthesis_subject(message)
    found = await context.tools.call("documents", "search_documents", {"query": subject, "top": 5})
    if not found.ok:
        return {"outcome": found.code or "tool_error", "answer": found.message}
    hit = best_document(subject, found.data.get("hits", []))
    if hit is None:
        return {
            "outcome": "not_found",
            "answer": say("documents.not_found", subject=subject),
            "mode": "extractive",
        }
    read = await context.tools.call("documents", "read_document", {"id": hit["id"]})
    if not read.ok:
        return {"outcome": read.code or "tool_error", "answer": read.message}
    return await synthesis(message, read.data, context)  # type: ignore[return-value]


async def respond(state: DocumentState, runtime: Runtime[RunContext]) -> DocumentState:
    """Answer from the most relevant passages, or say the documents do not cover the question."""
    context = runtime.context
    history = history_of(state)
    question = standalone(state["message"], history)
    passages = [passage for document in state["documents"] for passage in passages_of(document)]
    if not passages:
        return {"outcome": "not_covered", "answer": say("documents.not_covered"), "mode": "extractive"}
    vectors = await context.models.embed([passage.text for passage in passages])
    ranked = rank(question, await context.models.embed([question]), passages, vectors, MAX_PASSAGES)
    # A passage must share most of the question's content words: the local embedding model is
    # English-trained, so similarity alone cannot tell an off-topic French question from a real one.
    relevant = [
        passage
        for passage, score in ranked
        if score >= MIN_RELEVANCE and lexical_overlap(question, passage.text) >= MIN_OVERLAP
    ]
    if not relevant:
        return {"outcome": "not_covered", "answer": say("documents.not_covered"), "mode": "extractive"}
    written, fallback = await with_model(
        context,
        lambda model: generative_answer(
            state["message"], relevant, model, context, history=prompt_lines(history)
        ),
    )
    if written is not None:
        return written  # type: ignore[return-value]
    assert fallback is not None
    own = state["message"] if question != state["message"] else ""
    return extractive_answer(relevant, fallback, question=question, focus=own)  # type: ignore[return-value]


def build_document_graph() -> StateGraph[DocumentState, RunContext, DocumentState, DocumentState]:
    """The workflow's graph, to compile with a checkpointer."""
    graph = StateGraph(DocumentState, context_schema=RunContext)
    graph.add_node("search", search)
    graph.add_node("respond", respond)
    graph.add_edge(START, "search")
    graph.add_conditional_edges("search", stop_when_answered, {"stop": END, "go": "respond"})
    graph.add_edge("respond", END)
    return graph
