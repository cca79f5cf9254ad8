"""French-friendly text matching: accent- and case-insensitive tokens with a light plural folding."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
# Words that carry no meaning in a query; kept short so that "congés" or "note" still count.
STOP_WORDS = frozenset(
    "a au aux avec ce ces d de des du en est et il l la le les leur mon ma mes ne ou par pas pour "
    "qu que qui sa se ses son sur un une vos votre nos notre y".split()
)


def fold(text: str) -> str:
    """Lower case without diacritics: `Congés` and `conges` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    """Fold French plurals (`astreintes` → `astreinte`, `journaux` → `journau`)."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The searchable terms of a text, in order, stop words removed."""
    return [stem(word) for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Each word of `text` with its position and its term, to highlight matches in the original."""
    return [(m.start(), m.end(), stem(fold(m.group()))) for m in _WORD.finditer(text)]
