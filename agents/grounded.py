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

from agents.citations import Citation, DroppedCitation, SourceKind, quote_problem, renumber_markers
from agents.context import RunContext
from agents.documents.passages import Passage
from agents.extractive import best_sentence, sentences
from agents.fallback import Fallback, UnusableReplyError
from agents.folding import fold
from agents.lexicon import coverage, term_set, weights
from agents.messages import say

EXCERPT_CHARS = 600  # an extractive answer shows this much of each passage, around what answers …
ANSWER_CHARS = 1400  # … and this much of all its passages together (a short answer)
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


_KINDS = "montant|delai|duree|plafond|taux|pourcentage|part|date|age|somme|nombre"
_ASKS_FIGURE = re.compile(
    r"\b(?:combien|jusqu'a quand|a partir de quand|au bout de|sous quel|dans quel delai|quand)\b"
    rf"|\bquel(?:le)?s? (?:(?:est|sont) (?:le |la |les |l'))?(?P<kind>(?:{_KINDS})(?: (?:minimale?|maximale?"
    r"|minimum|maximum))?)\b"
    rf"|\b(?P<bare>(?:{_KINDS}) (?:minimale?|maximale?|minimum|maximum))\b"
)
FIGURE_KIND_WEIGHT = 0.25


def asks_figure(question: str) -> bool:
    """The question asks for a figure: an amount, a duration, a date (« combien », « quel délai »)."""
    return bool(_ASKS_FIGURE.search(fold(question)))


_KIND_TERMS = frozenset(term for kind in _KINDS.split("|") for term in term_set(kind))
_PROPER_NOUN = re.compile(r"(?<=\s)[A-ZÀ-Ý][a-zà-ÿ]+\b")  # « Lyon », not « CET », not the first word


def follow_up_topic(own: str) -> set[str]:
    """The words of a follow-up a passage must hold: its topic, not the figure or the place asked.

    « Et pour la cantine ? » is answered only by a passage on the canteen; but « jusqu'à quel âge ? »
    asks the previous topic's age limit (« moins de 18 ans »), and « et à Lyon ? » the previous rule
    for a city the document does not name.
    """
    places = {term for name in _PROPER_NOUN.findall(own) for term in term_set(name)}
    return term_set(own) - _KIND_TERMS - places


def without_asked_kind(question: str, weight: dict[str, float]) -> dict[str, float]:
    """`weight` with the words naming the kind of figure asked weighing a quarter.

    « Quelle est la durée minimale du repos hebdomadaire ? »: « durée minimale » says what the answer
    is, not what it is about — the sentence to find carries a figure and « repos hebdomadaire »; the
    one that repeats « durée minimale » is the daily rest's. Only the asked kind: in « combien de
    temps le stationnement est-il remboursé au maximum ? », « maximum » is the text's « dans la
    limite de ».
    """
    kinds = {
        term
        for match in _ASKS_FIGURE.finditer(fold(question))
        for term in term_set(match.group("kind") or match.group("bare") or "")
    }
    return {term: w * (FIGURE_KIND_WEIGHT if term in kinds else 1.0) for term, w in weight.items()}


_FIGURE = re.compile(
    r"\d|\b(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|"
    r"soixante|cent|mille|moitie|tiers|quart|double|veille|lendemain)\b"
)


_NUMBER = re.compile(r"\d+(?:[ ,.]\d+)*")


def _is_row(sentence: str) -> bool:
    return sentence.count(" | ") >= 2


def best_sentence_for(
    question: str, parts: list[str], focus: str = "", prior: dict[str, float] | None = None
) -> int:
    """The index of the sentence that answers.

    It holds most of the question's (weighted) terms, and, when the question asks for a figure
    (« combien », « quel délai »), carries one. A follow-up's own words (`focus`) count twice: after
    « Puis-je prendre ma voiture ? », « Et les péages ? » is about the tolls.
    """
    wanted, own = term_set(question), term_set(focus)
    header = _header_row(parts)
    # A table's row is read with its header (« Justificatif », « Quotient familial jusqu'à 12 000 € »),
    # and the header alone answers nothing: a row under it does.
    texts = [
        term_set(part) | (term_set(parts[header]) if header is not None and _is_row(part) else set())
        for part in parts
    ]
    weight = weights(wanted | own, texts)
    if prior:  # how telling each word is across the collection: its topic (« accident ») tells little
        weight = {term: w * prior.get(term, 1.0) for term, w in weight.items()}
    figure = asks_figure(focus or question)
    weight = without_asked_kind(focus or question, weight)
    candidates = [index for index in range(len(parts)) if index != header] or list(range(len(parts)))

    numbers = set(_NUMBER.findall(focus or question))

    def score(index: int) -> tuple[float, int]:
        bonus = 0.25 if figure and _FIGURE.search(fold(parts[index])) else 0.0
        # The asker's own figure, written in the sentence (« à 80 % », « de 300 000 habitants »), tells
        # which case of the rule is theirs; it weighs little in whether the documents cover the question.
        bonus += 0.25 if numbers & set(_NUMBER.findall(parts[index])) else 0.0
        mine = coverage(own, texts[index], weight) if own else 0.0
        return coverage(wanted, texts[index], weight) + mine + bonus, len(parts[index])

    return max(candidates, key=score)


def _header_row(parts: list[str]) -> int | None:
    """The index of a table's header row (its first row, when rows follow it), else None."""
    rows = [index for index, part in enumerate(parts) if _is_row(part)]
    return rows[0] if len(rows) >= 2 else None


_SENTENCE_ENDS = (".", "!", "?", ":", ";", "»", ")", "…")


def excerpt(
    text: str, question: str, max_chars: int = 0, focus: str = "", prior: dict[str, float] | None = None
) -> tuple[str, str]:
    """The part of a passage that answers, and the sentence of it to quote.

    That sentence holds most of the question's terms (a figure when one is asked); its neighbours
    join while they fit `max_chars`; a table row comes with the table's header row. Elided ends are
    marked « … ». Without a question, or with no sentence, the whole passage.
    """
    max_chars = max_chars or EXCERPT_CHARS
    parts = sentences(text)
    if not parts or not term_set(question):
        return " ".join(text.split()), best_sentence(text)
    best = best_sentence_for(question, parts, focus, prior)
    if _is_row(parts[best]):
        header = next(index for index, part in enumerate(parts) if _is_row(part))
        shown = parts[best] if header == best else f"{parts[header]} … {parts[best]}"
        return f"… {shown} …", parts[best]
    first, last = best, best
    while True:
        grown = False
        for candidate in (last + 1, first - 1):
            if 0 <= candidate < len(parts) and not _is_row(parts[candidate]):
                span = parts[min(first, candidate) : max(last, candidate) + 1]
                if len(" ".join(span)) <= max_chars:
                    first, last, grown = min(first, candidate), max(last, candidate), True
        if not grown:
            break
    shown = " ".join(parts[first : last + 1])
    # A passage cut at a page's end (a sentence runs on to the next page) ends or starts mid-sentence:
    # marked too, so that « un billet acheté par l'agent » is not read as the whole rule.
    cut_before = first > 0 or parts[0][:1].islower()
    cut_after = last < len(parts) - 1 or not parts[last].rstrip().endswith(_SENTENCE_ENDS)
    return ("… " if cut_before else "") + shown + (" …" if cut_after else ""), parts[best]


def extractive_answer(
    passages: list[Passage],
    fallback: Fallback,
    *,
    question: str = "",
    focus: str = "",
    lead: str = "",
    source: SourceKind = SourceKind.DOCUMENT,
    closing: str = "",
    prior: dict[str, float] | None = None,
) -> dict[str, Any]:
    """The passages' relevant parts, numbered and cited, after a one-line lead and the fallback's notice.

    The lead defaults to « D'après les documents de référence : » in the run's language.

    With the `question`, each passage is cut to its sentences that answer it (a short answer); the
    citation quotes the one sharing most words with the question.
    """
    lines = [lead or say("documents.lead"), "", fallback.notice(say("shown.passages")), ""]
    citations = []
    budget = min(EXCERPT_CHARS, ANSWER_CHARS // max(len(passages), 1))
    for number, passage in enumerate(passages, start=1):
        shown, quote = excerpt(passage.text, question, budget, focus, prior)
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
        "fallback": fallback.record(),
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
    history: str = "",
) -> dict[str, Any]:
    """The model's answer from numbered passages (after the conversation so far, if any).

    Citations whose quote is not in the passage are dropped.

    `system` defaults to the grounded prompt after the assistant's instructions.

    The answer's markers follow the kept citations: « [n] » of a dropped one goes, the others are
    renumbered in order.

    Raises:
        UnusableReplyError: the model did not answer the JSON asked (callers fall back to extractive).
    """
    reply = await context.models.chat(model, context.data_class).ainvoke(
        [
            SystemMessage(system if system is not None else context.system_prompt(GROUNDED_SYSTEM)),
            HumanMessage(
                (f"Échanges précédents :\n{history}\n\n" if history else "")
                + f"Question : {question}\n\nPassages :\n{numbered_passages(passages)}"
            ),
        ],
        response_format={"type": "json_object"},
    )
    text = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
    match = re.search(r"\{.*\}", text, re.DOTALL)
    try:
        parsed = _ModelAnswer.model_validate_json(match.group(0) if match else text)
    except ValidationError as exc:
        raise UnusableReplyError(f"model answer is not the expected JSON: {exc}") from exc
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    numbers: dict[int, int] = {}  # the model's citation number → the number shown
    for number, cited in enumerate(parsed.citations, start=1):
        passage = passages[cited.passage - 1] if 1 <= cited.passage <= len(passages) else None
        if passage is None:
            continue
        citation = citation_of(passage, cited.quote, source)
        problem = quote_problem(cited.quote, passage.text)
        if problem is None:
            kept.append(citation.model_dump(mode="json"))
            numbers[number] = len(kept)
        else:
            dropped.append(DroppedCitation(citation=citation, reason=problem).model_dump(mode="json"))
    text = renumber_markers(parsed.answer, numbers)
    answer = f"{text}\n\n{closing}" if closing else text
    return {"outcome": "ok", "mode": "generative", "answer": answer, "citations": kept, "dropped": dropped}
