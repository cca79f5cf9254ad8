"""Accent- and case-insensitive comparison of French text."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " "})


def fold(text: str) -> str:
    """Lower case, no accents, one space between words, typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", stripped).strip().casefold()


def squash_spaces(text: str) -> str:
    """One plain space between words (quotes are compared modulo whitespace and apostrophe style)."""
    return _SPACES.sub(" ", text.translate(_APOSTROPHES)).strip()
