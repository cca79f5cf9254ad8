"""Views of a text that undo the usual evasions before the detectors read it.

Evasions seen in the red-team pass: full-width digits and letters, non-breaking and zero-width
spaces, look-alike letters from other scripts, letters spaced out or cut by punctuation
(« c a n c e r », « can-cer »), digits for letters (« c4ncer »), upper case, accents missing.
Each view keeps the text's length-independent meaning, not its offsets: detectors report kinds of
findings, never positions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from server.gateway.detection.tables import labelled_rows

# Look-alike letters of the Cyrillic and Greek scripts that NFKC leaves alone.
_CONFUSABLES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеѕіјорсхуԁһӏνοριτυχΑΒΕΗΙΚΜΝΟΡΤΧΥΖ",
    "ABESIJKMHOPCTXYaesijopcxydhlvopituxABEHIKMNOPTXYZ",
)
# Characters that change nothing a reader sees (zero-width spaces and joiners, soft hyphen, marks).
_INVISIBLE = re.compile(
    r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]"
)
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# Letters spaced out one by one (« c a n c e r », « c.a.n.c.e.r »): at least four in a row.
_SPACED_LETTERS = re.compile(r"\b(?:[a-z][ .\-_*/|]){3,}[a-z]\b")
# The same with case kept, for names (the capital of a letter after a small one starts a new word).
_SPACED_NAME = re.compile(r"\b(?:[A-Za-z] ){3,}[A-Za-z]\b")
# Punctuation cutting a word (« can-cer », « dia.bete », « sid*a »): dropped between two letters.
_INNER_PUNCTUATION = re.compile(r"(?<=[a-z])[\-.*_·|/](?=[a-z])")
_APOSTROPHES = str.maketrans({"'": " ", "\u2019": " ", "`": " ", "\u02bc": " "})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_MIXED = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")
# Words mixing letters and digits or symbols only (the callback runs for these alone).
_LEET_WORD = re.compile(r"(?<![a-z0-9@$])(?=[a-z0-9@$]*[a-z])(?=[a-z0-9@$]*[0-9@$])[a-z0-9@$]+")
_HEX_WORD = re.compile(r"[0-9a-f]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def visible(text: str) -> str:
    """`text` in compatibility form (NFKC), look-alikes mapped to Latin, invisible characters dropped.

    Every kind of space becomes one plain space, underscores too (« jean_dupont », a key of a tool's
    parameters, is two words). Case and accents are kept (names need case).
    """
    text = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES).replace("_", " ")
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


def fold(text: str) -> str:
    """Lower case without accents (`text` already `visible`)."""
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return plain.replace("œ", "oe").replace("æ", "ae").translate(_APOSTROPHES)


def _rejoin(match: re.Match[str]) -> str:
    return re.sub(r"[ .\-_*/|]", "", match.group())


def _rejoin_name(match: re.Match[str]) -> str:
    letters = match.group().replace(" ", "")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", letters)


def _unleet(match: re.Match[str]) -> str:
    """A word with a digit or two for letters (« c4ncer »), not an identifier (« d9ffb760 »)."""
    word = match.group()
    if _HEX_WORD.fullmatch(word):  # a piece of an identifier (UUID, hash): no word of the vocabulary
        return word
    standing_in = sum(char.isdigit() or char in "@$" for char in word)
    return word.translate(_LEET) if 0 < standing_in <= 2 and len(word) - standing_in >= 3 else word


@dataclass(frozen=True)
class Views:
    """The views of one text the detectors share (each computed once, when first asked)."""

    raw: str
    transcript: bool = False  # a long text: its speakers' plain-name labels are no one's subject

    @classmethod
    def of_visible(cls, text: str, folded: str | None = None, unleeted: str | None = None) -> Views:
        """The views of a text already `visible` (and maybe folded): not normalised again.

        `folded`/`unleeted`: those views when known (cut from a longer text's).
        """
        views = cls(text)
        known = {"visible": text, "folded": folded, "unleeted": unleeted}
        views.__dict__.update({name: value for name, value in known.items() if value is not None})
        return views

    @classmethod
    def joined(cls, sentences: list[Views]) -> Views:
        """One text of consecutive sentences, their views joined rather than computed again."""
        folded = " ".join(sentence.folded for sentence in sentences)
        same = all(sentence.unleeted is sentence.folded for sentence in sentences)
        unleeted = folded if same else " ".join(sentence.unleeted for sentence in sentences)
        return cls.of_visible(" ".join(sentence.visible for sentence in sentences), folded, unleeted)

    @cached_property
    def visible(self) -> str:
        """See `visible`."""
        return visible(self.raw)

    @cached_property
    def spoken(self) -> str:
        """`visible` without the speakers' labels of a transcript (`<v Name>`, `[cue 00:01:02] Name:`).

        A speaker is who talks, not whom the talk is about: in a meeting's transcript every sentence
        stands next to a name. Names are read on this view. Only a `transcript` loses its labels,
        and only those that are plain names (`server.gateway.detection.speakers`).
        """
        if not self.transcript:
            return self.visible
        from server.gateway.detection.speakers import drop_speakers  # here: it imports this module

        spoken = drop_speakers(self.raw)
        return self.visible if spoken is self.raw else visible(spoken)

    @cached_property
    def plain(self) -> str:
        """`spoken` without accents, case kept, apostrophes as spaces (names are read here).

        Names spaced out letter by letter are joined again, a capital starting a new word
        (« T h i e r r y M a s s o n » is « Thierry Masson »).
        """
        plain = _COMBINING.sub("", unicodedata.normalize("NFKD", self.spoken)).translate(_APOSTROPHES)
        if _SPACED_NAME.search(plain) is None:
            return plain
        return _SPACED_NAME.sub(_rejoin_name, plain)

    @cached_property
    def lower(self) -> str:
        """`plain` in lower case, offset for offset."""
        lower = self.plain.lower()
        return lower if len(lower) == len(self.plain) else "".join(char.lower()[0] for char in self.plain)

    @cached_property
    def folded(self) -> str:
        """Lower case, accents dropped, spaced-out and cut words joined again."""
        folded = fold(self.visible)
        folded = _SPACED_LETTERS.sub(_rejoin, folded)
        return _INNER_PUNCTUATION.sub("", folded)

    @cached_property
    def table(self) -> str:
        """The rows of the text's tables, each cell after its header, folded; empty without a table."""
        rows = labelled_rows(self.raw)
        return fold(visible(rows)) if rows else ""

    @cached_property
    def unleeted(self) -> str:
        """`folded` with digits and symbols standing for letters read as letters, inside words only.

        It is `folded` itself when no word mixes them.
        """
        if _MIXED.search(self.folded) is None:
            return self.folded
        unleeted = _LEET_WORD.sub(_unleet, self.folded)
        return self.folded if unleeted == self.folded else unleeted  # one view to read, not two
