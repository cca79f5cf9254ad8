# ruff: noqa: RUF001  (the look-alike letters below are the point of this module)
"""The readings of a text a model might take from it, for the description scanner.

A poisoned description hides its instruction from a pattern match: look-alike letters from other
scripts, zero-width characters between letters, fullwidth forms, letters spaced or dotted apart,
base64, hexadecimal or URL-encoded runs, HTML entities, comments. A model reads through all of that.
So the scanner looks at several readings of one text: the folded text (compatibility forms, confusables
mapped to Latin, invisible characters removed, accents and case dropped, spaces collapsed), the same
with letter-spaced words joined, and whatever the encoded runs decode to.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata
from urllib.parse import unquote

# Letters of other scripts that look like Latin ones (Unicode's confusables, the common part).
_CONFUSABLES = str.maketrans(
    {
        **dict.fromkeys("аΑАɑα", "a"),
        **dict.fromkeys("вВβ", "b"),
        **dict.fromkeys("сСϲℂ", "c"),
        **dict.fromkeys("ԁⅾ", "d"),
        **dict.fromkeys("еЕεΕёЁ", "e"),
        **dict.fromkeys("ғ", "f"),
        **dict.fromkeys("ɡց", "g"),
        **dict.fromkeys("һНΗ", "h"),
        **dict.fromkeys("іІıιΙӏ", "i"),
        **dict.fromkeys("јЈ", "j"),
        **dict.fromkeys("кКκΚ", "k"),
        **dict.fromkeys("ⅼ", "l"),
        **dict.fromkeys("мМΜ", "m"),
        **dict.fromkeys("пΝ", "n"),
        **dict.fromkeys("оОοΟօ", "o"),
        **dict.fromkeys("рРρΡ", "p"),
        **dict.fromkeys("ԛ", "q"),
        **dict.fromkeys("г", "r"),
        **dict.fromkeys("ѕЅ", "s"),
        **dict.fromkeys("тТτΤ", "t"),
        **dict.fromkeys("υս", "u"),
        **dict.fromkeys("ѵν", "v"),
        **dict.fromkeys("ԝѡ", "w"),
        **dict.fromkeys("хХχΧ", "x"),
        **dict.fromkeys("уУγΥ", "y"),
        **dict.fromkeys("ΖZ", "z"),
    }
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_SPACED = re.compile(r"\b(?:[a-z][ ._\-*/|]{1,3}){3,}[a-z]\b")
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])")
_HEX = re.compile(r"(?:\\x|0x)?(?:[0-9a-fA-F]{2}(?:\\x|[ :]|0x)?){8,}")
_URL_ENCODED = re.compile(r"(?:%[0-9a-fA-F]{2}[^%\s]{0,3}){4,}")
_ESCAPES = re.compile(r"(?:\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|&#x?[0-9a-fA-F]+;){3,}")
COMMENT = re.compile(r"<!--.*?(?:-->|$)|\[//\]:\s*#\s*[(\"'<].*?(?:[)\"'>]|$)", re.DOTALL)


def is_hidden(char: str) -> bool:
    """Format characters (zero-width, bidi controls, tags), private-use and control characters."""
    if char in "\n\r\t":
        return False
    return unicodedata.category(char) in {"Cf", "Co", "Cc"} or 0xE0000 <= ord(char) <= 0xE007F


def fold(text: str) -> str:
    """The text as a model reads it, in one spelling.

    Compatibility forms, look-alikes mapped to Latin, invisible characters dropped, then no accents,
    lower case and single spaces.
    """
    text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if not is_hidden(char))
    text = text.translate(_CONFUSABLES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.casefold().replace("’", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip()


def join_spaced(text: str) -> str:
    """Letters spaced or dotted apart (`i g n o r e`, `i.g.n.o.r.e`) joined back into words."""
    return _SPACED.sub(lambda match: re.sub(r"[ ._\-*/|]", "", match.group()), text)


def mixed_scripts(text: str) -> list[str]:
    """Words mixing Latin letters with Cyrillic or Greek ones (homoglyph spoofing)."""
    found = []
    for word in re.findall(r"\w{2,}", unicodedata.normalize("NFKC", text)):
        scripts = {_script(char) for char in word if char.isalpha()}
        if "latin" in scripts and scripts & {"cyrillic", "greek"}:
            found.append(word)
    return found


def decoded_runs(text: str) -> list[str]:
    """The readable texts that base64, hexadecimal, URL-encoded or escaped runs of `text` decode to."""
    found: list[str] = []
    for match in _BASE64.finditer(text):
        found.extend(_readable(_b64(match.group())))
    for match in _HEX.finditer(text):
        digits = re.sub(r"\\x|0x|[ :]", "", match.group())
        found.extend(_readable(_bytes_of_hex(digits)))
    for match in _URL_ENCODED.finditer(text):
        found.extend(_readable(unquote(match.group()).encode("utf-8", "replace")))
    for match in _ESCAPES.finditer(text):
        raw = html.unescape(match.group())
        raw = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), raw)
        raw = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), raw)
        found.extend(_readable(raw.encode("utf-8", "replace")))
    return found


def spaced_runs(text: str) -> list[str]:
    """Runs of six or more letters spaced or dotted apart: no honest description writes `i g n o r e`."""
    return [
        match.group()
        for match in _SPACED.finditer(fold(text))
        if sum(c.isalpha() for c in match.group()) >= 6
    ]


def readings(text: str) -> list[str]:
    """Every reading of `text` the patterns are matched against (folded, joined, de-leeted, decoded)."""
    folded = fold(text)
    views = [folded, join_spaced(folded), folded.translate(_LEET), fold(unquote(text))]
    for decoded in decoded_runs(text):
        views.append(fold(decoded))
        views.extend(fold(inner) for inner in decoded_runs(decoded))  # encoded twice
    seen: dict[str, None] = {}
    for view in views:
        seen.setdefault(view, None)
    return list(seen)


def encoded_texts(text: str) -> list[str]:
    """Decoded runs that read as words: an honest tool description has no reason to encode text."""
    return [decoded for decoded in decoded_runs(text) if len(re.findall(r"[A-Za-zÀ-ÿ]{3,}", decoded)) >= 3]


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script.lower()
    return "other"


def _b64(run: str) -> bytes:
    padded = run + "=" * (-len(run) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            return decode(padded)
        except (binascii.Error, ValueError):
            continue
    return b""


def _bytes_of_hex(digits: str) -> bytes:
    try:
        return bytes.fromhex(digits[: len(digits) // 2 * 2])
    except ValueError:
        return b""


def _readable(data: bytes) -> list[str]:
    """The text of `data` when it is mostly printable words (not a hash, an id or binary)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    if len(text) < 8:
        return []
    printable = sum(char.isprintable() or char.isspace() for char in text) / len(text)
    letters = sum(char.isalpha() for char in text) / len(text)
    if printable < 0.95 or letters < 0.5 or not (" " in text.strip() or "://" in text):
        return []
    return [text]
