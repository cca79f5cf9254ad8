"""Knowledge question workflow: the assistant's documents → a grounded answer, or « not covered ».

The assistant's `knowledge` names the collection searched (through the `knowledge` tool server, as the
user), its `instructions` frame the model's answer and its `contact` is whom to ask when the documents
are silent, or to confirm. Never an invented rule: without passages that match the question, the answer
is the refusal and the contact.
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
from agents.grounded import (
    GROUNDED_SYSTEM,
    extractive_answer,
    follow_up_topic,
    generative_answer,
    without_asked_kind,
)
from agents.lexicon import coverage, matches, term_set, weights, with_acronyms
from agents.messages import say
from agents.model_node import with_model
from agents.phrasing import to_whom
from agents.state import AnswerState, stop_when_answered

SEARCH_TOP = 8
MAX_GENERATIVE_PASSAGES = 4
MAX_EXTRACTIVE_PASSAGES = 2  # short answers: the two best passages …
MAX_SHOWN_PASSAGES = 3  # … and up to this many when more hold most of the question
# The documents cover a question only if one passage shares most of its content words (and is not
# far off semantically): the local embedding model is English-trained, so similarity alone cannot
# reject an off-topic French question (parking, canteen). A collection is small and on one topic, so
# half the words (« heure », « personnel ») match by chance: the best passage needs more than half;
# the others, half, to keep passages that say « CET » where the question says « compte épargne-temps ».
COVERED_OVERLAP = 0.55
MIN_OVERLAP = 0.4
MIN_SIMILARITY = 0.25
TIE_BREAK = 0.1


class KnowledgeState(AnswerState, total=False):
    """What the workflow knows so far."""

    passages: list[dict[str, Any]]


def _contact_line(context: RunContext, *, refusal: bool) -> str:
    contact = context.assistant.contact.strip()
    if not contact:
        return ""
    if refusal:
        return say("knowledge.ask_contact", to_contact=to_whom(contact))
    return say("knowledge.confirm_contact", to_contact=to_whom(contact))


def _not_covered(context: RunContext) -> KnowledgeState:
    line = _contact_line(context, refusal=True)
    refusal = say("documents.not_covered")
    answer = f"{refusal}\n\n{line}" if line else refusal
    return {"outcome": "not_covered", "answer": answer, "mode": "extractive", "citations": [], "dropped": []}


async def retrieve(state: KnowledgeState, runtime: Runtime[RunContext]) -> KnowledgeState:
    """Search the assistant's collection for passages that may answer."""
    context = runtime.context
    collection = context.assistant.knowledge
    if not collection:
        return {
            "outcome": "no_knowledge",
            "mode": "extractive",
            "answer": say("knowledge.none", name=context.assistant.name),
        }
    found = await context.tools.call(
        "knowledge",
        "search_knowledge",
        {
            "query": standalone(state["message"], history_of(state)),
            "collection": collection,
            "top": SEARCH_TOP,
        },
    )
    if not found.ok:
        return {"outcome": found.code or "tool_error", "answer": found.message, "mode": "extractive"}
    return {"passages": list(found.data.get("passages", []))}


def relevant_passages(question: str, found: list[dict[str, Any]], own: str = "") -> list[Passage]:
    """The retrieved passages that bear on the question, best first (none: not covered)."""
    return [passage for _, passage in scored_passages(question, found, own)]


def shown_passages(scored: list[tuple[float, Passage]]) -> list[Passage]:
    """The passages an extractive answer shows: the two best, and more that cover the question alone.

    When several passages each hold most of the question (« quand l'aide est-elle versée ? » over a
    note whose sections all speak of « aide » and « versement »), the one that answers is not always
    the first: showing them all is better than picking one by chance.
    """
    return [
        passage
        for rank, (score, passage) in enumerate(scored[:MAX_SHOWN_PASSAGES])
        if rank < MAX_EXTRACTIVE_PASSAGES or score >= COVERED_OVERLAP
    ]


def collection_weights(question: str, own: str, found: list[dict[str, Any]]) -> dict[str, float]:
    """How telling each word of the question is across the retrieved passages (rarer, more)."""
    texts = [term_set(f"{item.get('heading') or ''} {item['text']}") for item in found]
    return weights(term_set(question) | term_set(own), texts)


def scored_passages(question: str, found: list[dict[str, Any]], own: str = "") -> list[tuple[float, Passage]]:
    """The retrieved passages that bear on the question with their scores, best first (none: not covered).

    A passage's score is the share of the question's terms it holds (its heading counted), each term
    weighted by how rare it is among the retrieved passages: words every passage of a collection
    shares (« agent », « jours ») tell little. The best passage must hold most of the question;
    the passages kept with it, at least half. `own`: a follow-up's own words, of which a passage
    must hold one (else « et pour la cantine ? » would be answered by the previous question's passages).
    """
    wanted = term_set(question)
    mine = follow_up_topic(own) if own else set()
    texts = []
    for item in found:
        full = f"{item.get('title') or ''} {item.get('heading') or ''} {item['text']}"
        texts.append(with_acronyms(question, full, term_set(full)))
    weight = weights(wanted, texts)
    weight = without_asked_kind(question, weight)
    kept: list[tuple[float, float, Passage]] = []
    for item, text in zip(found, texts, strict=True):
        score = coverage(wanted, text, weight)
        similarity = item.get("similarity")
        if score < MIN_OVERLAP or (mine and not any(matches(term, text) for term in mine)):
            continue
        if similarity is not None and similarity < MIN_SIMILARITY and item.get("text_rank") is None:
            continue
        passage = Passage(
            document_id=str(item["document_id"]),
            title=str(item["title"]),
            url=str(item.get("url") or ""),
            locator=str(item["locator"]),
            text=str(item["text"]),
        )
        # Ties (same share of the question held) go to the semantically closer passage.
        kept.append((score + TIE_BREAK * float(similarity or 0.0), score, passage))
    kept.sort(key=lambda row: -row[0])
    if not kept or max(coverage(wanted, text, weight) for text in texts) < COVERED_OVERLAP:
        return []
    return [(score, passage) for _, score, passage in kept]


async def respond(state: KnowledgeState, runtime: Runtime[RunContext]) -> KnowledgeState:
    """A grounded answer with checked citations, or the refusal with the contact."""
    context = runtime.context
    history = history_of(state)
    question = standalone(state["message"], history)
    own = state["message"] if question != state["message"] else ""
    scored = scored_passages(question, state.get("passages") or [], own)
    relevant = [passage for _, passage in scored]
    if not relevant:
        return _not_covered(context)
    closing = _contact_line(context, refusal=False)
    system = GROUNDED_SYSTEM
    if context.assistant.instructions.strip():
        name, instructions = context.assistant.name, context.assistant.instructions
        system += f"\n\nConsignes de l'assistant « {name} » :\n{instructions}"
    system = context.in_users_language(system)
    written, fallback = await with_model(
        context,
        lambda model: generative_answer(
            state["message"],
            relevant[:MAX_GENERATIVE_PASSAGES],
            model,
            context,
            system=system,
            source=SourceKind.KNOWLEDGE,
            closing=closing,
            history=prompt_lines(history),
        ),
    )
    dropped: list[dict[str, Any]] = []
    if written is not None:
        if written["citations"]:
            return written  # type: ignore[return-value]
        # Nothing verifiable: better the passages themselves than an uncited answer.
        detail = say("fallback.citations_dropped")
        await context.note("error", {"code": "citations_dropped", "detail": detail})
        dropped = written["dropped"]
        fallback = Fallback(FallbackReason.MODEL_UNUSABLE, say("fallback.no_verified_citation_documents"))
    assert fallback is not None
    extractive = extractive_answer(
        shown_passages(scored),
        fallback,
        question=question,
        focus=own,
        source=SourceKind.KNOWLEDGE,
        closing=closing,
        prior=collection_weights(question, own, state.get("passages") or []),
    )
    return extractive | {"dropped": dropped}  # type: ignore[return-value]


def build_knowledge_graph() -> StateGraph[KnowledgeState, RunContext, KnowledgeState, KnowledgeState]:
    """The workflow's graph, to compile with a checkpointer."""
    graph = StateGraph(KnowledgeState, context_schema=RunContext)
    graph.add_node("retrieve", retrieve)
    graph.add_node("respond", respond)
    graph.add_edge(START, "retrieve")
    graph.add_conditional_edges("retrieve", stop_when_answered, {"stop": END, "go": "respond"})
    graph.add_edge("respond", END)
    return graph
