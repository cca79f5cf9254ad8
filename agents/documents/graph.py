"""Document question workflow: search → read → answer from passages with verified citations."""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from pydantic import BaseModel, ValidationError

from agents.citations import Citation, DroppedCitation, SourceKind, quote_is_in
from agents.context import RunContext
from agents.documents.passages import Passage, lexical_overlap, passages_of, rank
from agents.extractive import best_sentence
from agents.models import MODEL_FAILURES, failure_reason
from agents.state import AnswerState, stop_when_answered

MAX_DOCUMENTS = 3
MAX_PASSAGES = 3
MIN_RELEVANCE = 0.32
MIN_OVERLAP = 0.5
NOT_COVERED = "Les documents de référence ne couvrent pas cette question."
EXTRACTIVE_NOTICE = (
    "_Réponse extractive : aucun modèle génératif n'est configuré ou autorisé pour ces données ; "
    "voici les passages des documents qui répondent le mieux à votre question._"
)


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
            return await _generative(question, relevant, model, context)
        except MODEL_FAILURES as exc:
            detail = f"Modèle non utilisé : {failure_reason(exc)} Réponse extractive à la place."
            await context.note("error", {"code": "model_fallback", "detail": detail})
    return _extractive(relevant)


def _citation(passage: Passage, quote: str) -> Citation:
    return Citation(
        source=SourceKind.DOCUMENT,
        id=passage.document_id,
        title=passage.title,
        locator=passage.locator,
        quote=quote,
        url=passage.url or None,
    )


def _extractive(passages: list[Passage]) -> DocumentState:
    lines = ["D'après les documents de référence :", "", EXTRACTIVE_NOTICE, ""]
    citations = []
    for number, passage in enumerate(passages, start=1):
        lines.append(f"{number}. {passage.text} ({passage.title}, {passage.locator}) [{number}]")
        citations.append(_citation(passage, best_sentence(passage.text)).model_dump(mode="json"))
    return {
        "outcome": "ok",
        "mode": "extractive",
        "answer": "\n".join(lines),
        "citations": citations,
        "dropped": [],
    }


class _Cited(BaseModel):
    passage: int
    quote: str


class _ModelAnswer(BaseModel):
    answer: str
    citations: list[_Cited]


_SYSTEM = (
    "Tu réponds en français à une question de personnel hospitalier, uniquement à partir des passages "
    "numérotés fournis, brièvement. Si les passages ne répondent pas, dis-le. Marque chaque affirmation "
    'd\'un renvoi [n] vers la citation n. Réponds par un objet JSON {"answer": str, "citations": '
    '[{"passage": numéro du passage, "quote": citation exacte mot pour mot du passage}]}.'
)


async def _generative(
    question: str, passages: list[Passage], model: str, context: RunContext
) -> DocumentState:
    numbered = "\n\n".join(
        f"[{i}] {p.title} — {p.locator}\n{p.text}" for i, p in enumerate(passages, start=1)
    )
    reply = await context.models.chat(model, context.data_class).ainvoke(
        [
            SystemMessage(context.system_prompt(_SYSTEM)),
            HumanMessage(f"Question : {question}\n\nPassages :\n{numbered}"),
        ],
        response_format={"type": "json_object"},
    )
    text = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
    match = re.search(r"\{.*\}", text, re.DOTALL)
    try:
        parsed = _ModelAnswer.model_validate_json(match.group(0) if match else text)
    except ValidationError as exc:
        raise ValueError(f"model answer is not the expected JSON: {exc}") from exc
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    for cited in parsed.citations:
        passage = passages[cited.passage - 1] if 1 <= cited.passage <= len(passages) else None
        citation = _citation(passage, cited.quote) if passage else None
        if passage is not None and citation is not None and quote_is_in(cited.quote, passage.text):
            kept.append(citation.model_dump(mode="json"))
        elif citation is not None:
            dropped.append(
                DroppedCitation(citation=citation, reason="quote_not_found").model_dump(mode="json")
            )
    return {
        "outcome": "ok",
        "mode": "generative",
        "answer": parsed.answer,
        "citations": kept,
        "dropped": dropped,
    }


def build_document_graph() -> StateGraph[DocumentState, RunContext, DocumentState, DocumentState]:
    """The workflow's graph, to compile with a checkpointer."""
    graph = StateGraph(DocumentState, context_schema=RunContext)
    graph.add_node("search", search)
    graph.add_node("respond", respond)
    graph.add_edge(START, "search")
    graph.add_conditional_edges("search", stop_when_answered, {"stop": END, "go": "respond"})
    graph.add_edge("respond", END)
    return graph
