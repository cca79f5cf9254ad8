"""Answers grounded on passages: extractive (the passages, cited) or written by a model, citations checked.

Shared by the workflows that answer from documents (SharePoint documents, assistants' knowledge):
a model's citation is kept only when its quote is found verbatim in the passage it points to, which
sits at a known locator; the others are dropped and kept for the record.
"""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from agents.citations import Citation, DroppedCitation, SourceKind, quote_problem
from agents.context import RunContext
from agents.documents.passages import Passage, stems
from agents.extractive import best_sentence, sentences

EXTRACTIVE_NOTICE = (
    "_Réponse extractive : aucun modèle génératif n'est configuré ou autorisé pour ces données ; "
    "voici les passages des documents qui répondent le mieux à votre question._"
)
EXCERPT_CHARS = 450  # an extractive answer shows this much of each passage, around what answers
GROUNDED_SYSTEM = (
    "Tu réponds en français à une question de personnel hospitalier, uniquement à partir des passages "
    "numérotés fournis, brièvement. Si les passages ne répondent pas, dis-le. Marque chaque affirmation "
    'd\'un renvoi [n] vers la citation n. Réponds par un objet JSON {"answer": str, "citations": '
    '[{"passage": numéro du passage, "quote": citation exacte mot pour mot du passage}]}.'
)


def citation_of(passage: Passage, quote: str, source: SourceKind = SourceKind.DOCUMENT) -> Citation:
    """A citation of `quote` at the passage's document and locator."""
    return Citation(
        source=source,
        id=passage.document_id,
        title=passage.title,
        locator=passage.locator,
        quote=quote,
        url=passage.url or None,
    )


def excerpt(text: str, question: str, max_chars: int = EXCERPT_CHARS) -> tuple[str, str]:
    """The part of a passage that answers, and the sentence of it to quote.

    That sentence shares most words with the question; its neighbours join while they fit
    `max_chars`. Elided ends are marked « … ». Without a question, or with no sentence, the whole passage.
    """
    parts = sentences(text)
    wanted = stems(question)
    if not parts or not wanted:
        return " ".join(text.split()), best_sentence(text)
    best = max(range(len(parts)), key=lambda i: (len(wanted & stems(parts[i])), len(parts[i])))
    first, last = best, best
    while True:
        grown = False
        for candidate in (last + 1, first - 1):
            if 0 <= candidate < len(parts):
                span = parts[min(first, candidate) : max(last, candidate) + 1]
                if len(" ".join(span)) <= max_chars:
                    first, last, grown = min(first, candidate), max(last, candidate), True
        if not grown:
            break
    shown = " ".join(parts[first : last + 1])
    shown = ("… " if first > 0 else "") + shown + (" …" if last < len(parts) - 1 else "")
    return shown, parts[best]


def extractive_answer(
    passages: list[Passage],
    *,
    question: str = "",
    lead: str = "D'après les documents de référence :",
    source: SourceKind = SourceKind.DOCUMENT,
    closing: str = "",
) -> dict[str, Any]:
    """The passages' relevant parts, numbered and cited, after a one-line lead and the extractive notice.

    With the `question`, each passage is cut to its sentences that answer it (a short answer); the
    citation quotes the one sharing most words with the question.
    """
    lines = [lead, "", EXTRACTIVE_NOTICE, ""]
    citations = []
    for number, passage in enumerate(passages, start=1):
        shown, quote = excerpt(passage.text, question)
        lines.append(f"{number}. {shown} ({passage.title}, {passage.locator}) [{number}]")
        citations.append(citation_of(passage, quote, source).model_dump(mode="json"))
    if closing:
        lines += ["", closing]
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


def numbered_passages(passages: list[Passage]) -> str:
    """The passages as the model reads them: `[n] title — locator` then the text."""
    return "\n\n".join(f"[{i}] {p.title} — {p.locator}\n{p.text}" for i, p in enumerate(passages, start=1))


async def generative_answer(
    question: str,
    passages: list[Passage],
    model: str,
    context: RunContext,
    *,
    system: str | None = None,
    source: SourceKind = SourceKind.DOCUMENT,
    closing: str = "",
) -> dict[str, Any]:
    """The model's answer from numbered passages; citations whose quote is not in the passage are dropped.

    `system` defaults to the grounded prompt after the assistant's instructions.

    Raises:
        ValueError: the model did not answer the JSON asked (callers fall back to extractive).
    """
    reply = await context.models.chat(model, context.data_class).ainvoke(
        [
            SystemMessage(system if system is not None else context.system_prompt(GROUNDED_SYSTEM)),
            HumanMessage(f"Question : {question}\n\nPassages :\n{numbered_passages(passages)}"),
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
        if passage is None:
            continue
        citation = citation_of(passage, cited.quote, source)
        problem = quote_problem(cited.quote, passage.text)
        if problem is None:
            kept.append(citation.model_dump(mode="json"))
        else:
            dropped.append(DroppedCitation(citation=citation, reason=problem).model_dump(mode="json"))
    answer = f"{parsed.answer}\n\n{closing}" if closing else parsed.answer
    return {"outcome": "ok", "mode": "generative", "answer": answer, "citations": kept, "dropped": dropped}
