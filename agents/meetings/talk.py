"""A transcript read as sentences, and cut where its speakers say they move on.

Cues are cut by time, not by meaning: a sentence often runs from one cue into the next. The stream
joins a speaker's cues while a sentence goes on, then cuts at sentence ends, remembering which cues
(and which verbatim piece of each) every sentence comes from, so a point can quote exactly.
A speaker who announces their structure (« Premier message… », « Deuxième point, … ») is followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agents.folding import fold

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"(]?[A-ZÀ-ÖØ-Þ0-9])")
_ENDS_SENTENCE = re.compile(r"[.!?…»)\"]\s*$")
_ORDINALS = (
    r"premier|premiere|deuxieme|second|seconde|troisieme|quatrieme|cinquieme|sixieme|septieme|"
    r"huitieme|neuvieme|dixieme|dernier|derniere"
)
_TOPICS = (
    r"messages?|points?|sujets?|axes?|themes?|chantiers?|priorites?|enjeux?|volets?|objectifs?|"
    r"elements?|parties?|questions?|idees?|annonces?|decisions?|choses?"
)
_CARDINALS = r"un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|[1-9]"
_LEAD = r"^(?:(?:bien|alors|donc|voila|bon|ok|et|enfin|sur|pour|avec)[ ,.]+|(?:sur |pour )?l'|le |la )*"
# « Premier message… », « Deuxième point, … », « Axe deux, … », « Sur l'axe un, … », « D'abord… ».
_MARKER = re.compile(
    rf"{_LEAD}(?:(?:{_ORDINALS})(?: et dernier)? (?:{_TOPICS})\b|(?:{_TOPICS}) (?:{_CARDINALS})\b"
    rf"|(?:tout )?d'abord\b|premierement\b)"
)
# Words a point must not start with: it would lean on what came before (« Mais ils… », « Donc… »).
CONNECTIVES = frozenset(
    "mais et donc alors parce car puis ensuite or pourtant cependant toutefois bref voila oui non "
    "exactement sinon ainsi bien bon ok d'accord ca cela ce ils elles il elle on y en".split()
)
_LEADING_FILLER = re.compile(
    r"^(?:(?:bien|bon|alors|donc|voila|ok|oui|et|mais|du coup|en fait|bref|exactement)\b[ ,.:]*)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of one speaker: its text, and the verbatim piece of each cue it spans."""

    speaker: str
    text: str
    pieces: tuple[tuple[str, str], ...]  # (cue id, verbatim text of the cue inside this sentence)

    @property
    def cue_ids(self) -> list[str]:
        """The cues this sentence spans, in order."""
        return [cue_id for cue_id, _ in self.pieces]

    @property
    def quote(self) -> str:
        """The longest part of the sentence found whole in one cue (what a citation can check)."""
        return max((piece for _, piece in self.pieces), key=len)

    @property
    def words(self) -> int:
        """Its number of words."""
        return len(self.text.split())

    def is_marker(self) -> bool:
        """« Premier message… », « Deuxième point, … »: the speaker announces a part."""
        return bool(_MARKER.match(fold(self.text)))

    def leans_back(self) -> bool:
        """True when it starts with a connective or a pronoun pointing back."""
        first = fold(self.text).split(" ", 1)[0].strip(",.:;!?")
        return first in CONNECTIVES or first.startswith(("c'", "qu'", "j'y", "l'"))


def stream(cues: list[dict[str, Any]]) -> list[Sentence]:
    """The sentences of `cues` in order; a speaker's sentence may span consecutive cues of theirs."""
    sentences: list[Sentence] = []
    open_pieces: list[tuple[str, str]] = []
    speaker = ""

    def close() -> None:
        if open_pieces:
            text = " ".join(piece for _, piece in open_pieces)
            sentences.append(Sentence(speaker, text, tuple(open_pieces)))
            open_pieces.clear()

    for cue in cues:
        if cue["speaker"] != speaker:
            close()
            speaker = cue["speaker"]
        parts = [" ".join(part.split()) for part in _SENTENCE_END.split(str(cue["text"]).strip())]
        for index, part in enumerate(part for part in parts if part):
            if index > 0:
                close()
            open_pieces.append((str(cue["id"]), part))
            if _ENDS_SENTENCE.search(part):
                close()
    close()
    return sentences


_RANKS = {
    "abord": 1, "premierement": 1, "un": 1, "1": 1, "deux": 2, "2": 2, "trois": 3, "3": 3, "quatre": 4,
    "4": 4, "cinq": 5, "5": 5, "six": 6, "6": 6,
    "premier": 1, "premiere": 1, "deuxieme": 2, "second": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4,
    "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10,
}  # fmt: skip


def _rank(sentence: Sentence) -> int | None:
    """1 for « premier… », 2 for « deuxième… »; 99 for « dernier… »."""
    for word in re.findall(r"[a-z0-9]+", fold(sentence.text))[:6]:
        if word in _RANKS:
            return _RANKS[word]
        if word in ("dernier", "derniere"):
            return 99
    return None


def announced(sentences: list[Sentence]) -> list[int]:
    """Indices of the sentences announcing a new part, in order; empty unless there are two or more.

    A restatement (« Donc premier point : … » after an interruption of the first message) is no new
    part: a marker counts only when its rank goes beyond the previous one's.
    """
    found: list[int] = []
    last = 0
    for index, sentence in enumerate(sentences):
        rank = _rank(sentence) if sentence.is_marker() else None
        if rank is not None and rank > last:
            if not found and rank == 2 and index > 0:
                found.append(0)  # « Deuxième sujet » with no first announced: the talk opened the first
            found.append(index)
            last = rank
    return found if len(found) >= 2 else []


def readable(text: str) -> str:
    """A point's text: leading fillers and connectives dropped, first letter capitalised."""
    stripped = _LEADING_FILLER.sub("", text).strip(" ,")
    return stripped[:1].upper() + stripped[1:] if stripped else text
