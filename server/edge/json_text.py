"""Checks of a JSON body's text before anything parses it: nesting depth, NUL, lone surrogates.

PostgreSQL refuses NUL in text and no UTF-8 encoder takes a lone surrogate, so either, accepted,
became a 500 far from the edge; a deeply nested document made the parser recurse until it failed.
The checks read the raw bytes: most bodies hold fewer brackets than the depth allowed and no
escaped character of either kind, and pass after two byte counts and two searches.
"""

from __future__ import annotations

import re

from server.messages import MESSAGES
from tools.i18n import Text

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")
_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class JsonTextError(ValueError):
    """The body cannot be accepted; `text` says why (French as `str`, English when rendered so)."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


def check_json_text(raw: bytes, max_depth: int) -> None:
    """Refuse a JSON body nested deeper than `max_depth`, or holding NUL or a lone surrogate.

    Raises:
        JsonTextError: with a catalogue text.
    """
    if b"\x00" in raw or b"\\u0000" in raw:
        raise JsonTextError(MESSAGES("edge.nul_character"))
    if b"\\u" in raw:
        for match in _SURROGATE.finditer(raw):
            if len(match.group()) == 6:  # a high surrogate without its low half, or a low one alone
                raise JsonTextError(MESSAGES("edge.lone_surrogate"))
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return
    depth = 0
    for bracket in _BRACKETS.findall(_STRING.sub(b'""', raw)):
        depth += 1 if bracket in b"[{" else -1
        if depth > max_depth:
            raise JsonTextError(MESSAGES("edge.too_deep", depth=max_depth))


def text_is_clean(text: str) -> bool:
    """True when `text` (a decoded path, query or form value) holds neither NUL nor a lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
