"""French social security numbers (NIR) and hospital patient identifiers (IPP, NDA…).

A NIR is read in every spelling seen: any separators between its digits (spaces of every kind,
`.`, `-`, `/`, `_`, line breaks), digits of any script (full-width…), with its key (checked) or
without it (13 digits whose fields are those of a NIR), in one piece or cut in two pieces — two
messages of a conversation, or two fields of a request.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Digits with at most three separator characters between them (a group of a NIR, a phone number, a
# date…); `2A`/`2B` (Corsica) count as digits of a department. Colons and commas are not separators:
# a time (« 00:12:34 ») or a list is no NIR.
_CHAIN = re.compile(r"(?<![^\W\d_])[0-9](?:[^\w:,;]{0,3}(?:[0-9]|(?<=2)[ABab]))*(?![^\W\d_])")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_HEX_ID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|[0-9a-f]{16,}")
_KEYED = re.compile(r"([1-478])(\d{2})(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2[AB])(\d{3})(\d{3})(\d{2})")
_UNKEYED = re.compile(
    r"([12])(\d{2})(0[1-9]|1[0-2]|20|3\d|4[0-2]|[5-9]\d)(0[1-9]|[1-8]\d|9[0-5]|2[AB]|9[78]\d)"
)

_PATIENT_ID = re.compile(
    r"\b(?:ipp|nda|nip|ins|iep|n\W?\s*(?:de\s+)?(?:dossier|sejour|patient|venue|admission)|"
    r"(?:numero|num|no)\s*(?:de\s+|d\s+)?(?:dossier|sejour|patient|venue|admission|ipp|nda|hospitalisation)|"
    r"(?:identifiant|id|matricule|dossier|reference)\s*(?:du\s+|de\s+la\s+|de\s+l\s*)?(?:patient|patiente|sejour))"
    r"(?:\s+(?:du|de|la|le|l|d|patient|patiente|sejour|administratif|unique|medical|permanent))*"
    r"[\s:#=°n.\-_/]*(?:(?:numero|num|no|n)\s*[\s:#=°.\-]*)?[a-z]{0,3}[\s\-_/]?\d[\d \-_/.]{4,16}\d",
)
# A patient identifier written the hospital's way without the word: « PAT-2026-004512 ».
_CODED_ID = re.compile(r"\b(?:pat|ipp|nda|sej|dos)[\-_/ ]?\d{2,4}[\-_/ ]?\d{4,8}\b")


def ascii_digits(text: str) -> str:
    """Digits of every script as ASCII digits (NFKC turns full-width ones already; this, the rest)."""
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda match: str(unicodedata.digit(match.group())), text)


def digit_chains(text: str) -> list[list[str]]:
    """Each run of digits with short separators, as its groups of digits (`2A`/`2B` upper-case).

    Identifiers made of hexadecimal digits (UUIDs, hashes: a transcript's cue ids) are left out.
    """
    text = _HEX_ID.sub(" ", ascii_digits(text))
    return [re.findall(r"[0-9AB]+", chain.upper()) for chain in _CHAIN.findall(text)]


def _keyed(digits: str) -> bool:
    match = _KEYED.fullmatch(digits)
    if match is None:
        return False
    sex, year, month, department, commune, order, key = match.groups()
    department = {"2A": "19", "2B": "18"}.get(department, department)
    return 97 - int(f"{sex}{year}{month}{department}{commune}{order}") % 97 == int(key)


def has_nir(pieces: list[list[list[str]]]) -> bool:
    """True when the pieces (each a text's chains, in reading order) hold a NIR.

    That is consecutive groups of digits within one chain whose concatenation is a NIR with a valid
    key, or a whole chain of 13 digits shaped like a NIR without key (or 15, its key mistyped); or a number
    cut where one piece ends and the next begins (two messages, two fields), with a valid key. Chains
    of one text are not joined: a prompt holds hundreds of numbers (times, rooms, extensions), and by
    chance one run of them in a hundred ends with a valid key.
    """
    for chains in pieces:
        for chain in chains:
            if _in_chain(chain):
                return True
    numbered = [chains for chains in pieces if chains]  # a field without digits in between is no cut
    return any(_keyed_across(before[-1], after[0]) for before, after in itertools.pairwise(numbered))


def _in_chain(groups: list[str]) -> bool:
    # Without a valid key, only a whole chain of 13 digits (or 15, its key mistyped) shaped like a NIR.
    whole = "".join(groups)
    if len(whole) in (13, 15) and _UNKEYED.match(whole):
        return True
    for start in range(len(groups)):
        joined = ""
        for group in groups[start:]:
            joined += group
            if len(joined) > 15:
                break
            if len(joined) == 15 and _keyed(joined):
                return True
    return False


def _keyed_across(head: list[str], tail: list[str]) -> bool:
    """A NIR made of the last groups of `head` and the first groups of `tail`."""
    for start in range(len(head)):
        first = "".join(head[start:])
        if len(first) >= 15:
            continue
        rest = ""
        for group in tail:
            rest += group
            if len(first) + len(rest) > 15:
                break
            if len(first) + len(rest) == 15 and _keyed(first + rest):
                return True
    return False


def has_patient_id(folded: str) -> bool:
    """True when `folded` (lower case, no accents) holds a patient, stay or file number."""
    return bool(_PATIENT_ID.search(folded) or _CODED_ID.search(folded))
