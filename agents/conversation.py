"""The thread's earlier turns: which messages follow up on the previous one, and what they then mean.

A follow-up (« Et si c'est urgent ? », « et le deuxième point ? », « Même question pour les nuits »)
only makes sense after the previous question: the workflows search with both, and a model reads the
earlier turns. Detection is deliberately plain French grammar (a leading connective, an anaphora, too
few words of its own), so that it holds on any topic rather than on the phrasing of one suite.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from agents.documents.passages import stems
from agents.folding import fold
from agents.state import AnswerState

MAX_TURNS = 4  # earlier turns handed to a run (the most recent ones)
ANSWER_CHARS = 1200  # of each earlier answer, for a model's prompt


class PriorTurn(BaseModel):
    """One earlier turn of the thread: what was asked, which workflow answered, and what it cited."""

    message: str
    answer: str = ""
    workflow: str | None = None
    citations: list[dict[str, Any]] = Field(default_factory=list)


_LEADING = re.compile(
    r"^(?:et|mais|ou|sinon|alors|donc|aussi|pareil|idem|meme chose|meme question|dans ce cas|"
    r"dans ces cas|a ce moment|en ce cas|si oui|si non|et si|et pour|et en|et le|et la|et les|et au|"
    r"et dans|et quand|et combien|et comment|et qui|et ou|et apres|et avant|plus precisement|"
    r"precise|developpe|detaille)\b"
)
_ANAPHORA = re.compile(
    r"\b(?:ca|cela|ceci|celui-ci|celle-ci|ceux-ci|celles-ci|celui-la|celle-la|le meme|la meme|les memes|"
    r"ce point|ce cas|cette regle|cette situation|ce delai|ce montant|ce plafond|cette reunion|"
    r"ce document|ce texte|cette procedure|ce robot|ce passage|cette intervention|"
    r"(?:le|la|du|au) (?:premier|deuxieme|second|troisieme|quatrieme|cinquieme|sixieme|dernier|\d+e)"
    r"|point (?:\d+|numero \d+))\b"
)
MIN_OWN_WORDS = 3  # a message with fewer content words of its own leans on the previous one


def is_follow_up(message: str, history: list[PriorTurn]) -> bool:
    """True when `message` leans on the previous turn (connective, anaphora, or too short to stand)."""
    if not history:
        return False
    folded = fold(message).lstrip("« \"'")
    if _LEADING.match(folded) or _ANAPHORA.search(folded):
        return True
    return len(stems(message)) < MIN_OWN_WORDS and len(message.split()) <= 6


def previous(history: list[PriorTurn]) -> PriorTurn | None:
    """The most recent earlier turn."""
    return history[-1] if history else None


def standalone(message: str, history: list[PriorTurn]) -> str:
    """What to search for: the message, preceded by the previous question when it is a follow-up.

    The previous question's own follow-ups are unfolded too (« et si c'est urgent ? » after « et pour
    un stagiaire ? » after the first question carries all three).
    """
    if not is_follow_up(message, history):
        return message
    return f"{standalone(history[-1].message, history[:-1])} {message}"


def prompt_lines(history: list[PriorTurn]) -> str:
    """The earlier turns as a model reads them (answers shortened), or an empty string."""
    lines = []
    for turn in history[-MAX_TURNS:]:
        answer = " ".join(turn.answer.split())
        if len(answer) > ANSWER_CHARS:
            answer = answer[:ANSWER_CHARS].rsplit(" ", 1)[0] + " …"
        lines += [f"Utilisateur : {turn.message}", f"Assistant : {answer}"]
    return "\n".join(lines)


def history_of(state: AnswerState) -> list[PriorTurn]:
    """The earlier turns a workflow's state carries."""
    return [PriorTurn.model_validate(item) for item in state.get("history") or []]
