"""Document question workflow: search → read → answer from passages with verified citations."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.documents.passages import lexical_overlap, passages_of, rank
from agents.grounded import extractive_answer, generative_answer
from agents.models import MODEL_FAILURES, failure_reason
from agents.state import AnswerState, stop_when_answered

MAX_DOCUMENTS = 3
MAX_PASSAGES = 3
MIN_RELEVANCE = 0.32
MIN_OVERLAP = 0.5
NOT_COVERED = "Les documents de référence ne couvrent pas cette question."


class DocumentState(AnswerState, total=False):
    """What the document workflow knows so far."""

    documents: list[dict[str, Any]]


async def search(state: DocumentState, runtime: Runtime[RunContext]) -> DocumentState:
    """Find the documents the user may read that match the question, and read the best ones."""
    tools = runtime.context.tools
    found = await tools.call("documents", "search_documents", {"query": state["message"], "top": 5})
    if not found.ok:
        return {"outcome": found.code or "tool_error", "answer": found.message}
    hits = found.data.get("hits", [])[:MAX_DOCUMENTS]
    if not hits:
        return {"outcome": "not_covered", "answer": NOT_COVERED, "mode": "extractive"}
    documents = []
    for hit in hits:
        read = await tools.call("documents", "read_document", {"id": hit["id"]})
        if read.ok:
            documents.append(read.data)
    return {"documents": documents}


async def respond(state: DocumentState, runtime: Runtime[RunContext]) -> DocumentState:
    """Answer from the most relevant passages, or say the documents do not cover the question."""
    context = runtime.context
    question = state["message"]
    passages = [passage for document in state["documents"] for passage in passages_of(document)]
    if not passages:
        return {"outcome": "not_covered", "answer": NOT_COVERED, "mode": "extractive"}
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
        return {"outcome": "not_covered", "answer": NOT_COVERED, "mode": "extractive"}
    model = await context.models.chat_model_for(context.data_class)
    if model is not None:
        try:
            return await generative_answer(question, relevant, model, context)  # type: ignore[return-value]
        except MODEL_FAILURES as exc:
            detail = f"Modèle non utilisé : {failure_reason(exc)} Réponse extractive à la place."
            await context.note("error", {"code": "model_fallback", "detail": detail})
    return extractive_answer(relevant, question=question)  # type: ignore[return-value]


def build_document_graph() -> StateGraph[DocumentState, RunContext, DocumentState, DocumentState]:
    """The workflow's graph, to compile with a checkpointer."""
    graph = StateGraph(DocumentState, context_schema=RunContext)
    graph.add_node("search", search)
    graph.add_node("respond", respond)
    graph.add_edge(START, "search")
    graph.add_conditional_edges("search", stop_when_answered, {"stop": END, "go": "respond"})
    graph.add_edge("respond", END)
    return graph
