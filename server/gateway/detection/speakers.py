"""Speakers' labels of a transcript: who talks, not whom the talk is about — when they are labels.

A meeting's transcript puts a name before every line (`<v Hélène Marchal>`, `[c12] 00:01:02
Hélène Marchal:`): read as people, every health word said in the meeting would stand next to one.
So in a transcript those labels are not read as people. But the same shapes are an evasion: a
chat message « [note] Jean Dupont: cancer du poumon » or a label « <v Jean Dupont, cancer> » would
hide the name. A label is therefore dropped only when it is a plain name (a few capitalised words, a
civility at most: no digit, no health word, no « patient »), and only in a long text holding several
of them (a transcript); anywhere else it is read like any text.
"""

from __future__ import annotations

import re

from server.gateway.detection.normalise import fold
from server.gateway.detection.vocabulary import vocabulary

_LABEL = re.compile(
    r"<v(?:\.[\w.-]+)?\s(?P<voice>[^>]*)>"
    r"|^[ \t]*\[[^\]\n]{1,80}\][ \t]*(?:\d[\d:.,]*[ \t]+)?(?P<cue>[^\n:]{1,60}):",
    re.M,
)
_NAME_WORD = r"(?:[A-ZÀ-Ý][a-zà-ÿ'’\-]*\.?|[A-ZÀ-Ý]{2,}|de|du|des|van|von|le|la|d'|d’|el|al|ben)"
_PLAIN_NAME = re.compile(rf"\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}\s*")
_DESIGNATION = re.compile(
    r"\b(?:patiente?s?|malades?|residente?s?|usagere?s?|enfants?|bebes?|victimes?|defunte?s?|"
    r"nee?s?|dossier|chambre|lit|ipp|nda|nir)\b"
)
_TRANSCRIPT = 3  # labels a text holds at least to be a transcript


def drop_speakers(text: str) -> str:
    """`text` without the plain-name speakers' labels, when it is a transcript; else `text` itself."""
    if "<v" not in text and "]" not in text:
        return text
    labels = list(_LABEL.finditer(text))
    if len(labels) < _TRANSCRIPT:
        return text
    words = vocabulary()
    kept, last = [], 0
    for label in labels:
        name = label.group("voice") if label.group("voice") is not None else label.group("cue")
        folded = fold(name)
        if _PLAIN_NAME.fullmatch(name) and not _DESIGNATION.search(folded) and not words.found_in(folded):
            kept += [text[last : label.start()], " "]
            last = label.end()
    return "".join([*kept, text[last:]]) if kept else text
