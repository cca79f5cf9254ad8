"""French social security numbers (NIR) and hospital patient identifiers (IPP, NDA…).

A NIR is read in every spelling seen: any separators between its digits (spaces of every kind,
`.`, `-`, `/`, `_`, line breaks), digits of any script (full-width…), with its key (checked) or
without it (13 digits whose fields are those of a NIR), in one piece or cut in two pieces — two
messages of a conversation, or two fields of a request — or cut by a few words within one text
(« il commence par 1 84 05 69 et finit par 123 456 90 »).
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from server.gateway.detection.normalise import fold

# Digits with at most three separator characters between them (a group of a NIR, a phone number, a
# date…); `2A`/`2B` (Corsica) count as digits of a department. Colons and commas are not separators:
# a time (« 00:12:34 ») or a list is no NIR.
_CHAIN = re.compile(r"(?<![^\W\d_])[0-9](?:[^\w:,;]{0,3}(?:[0-9]|(?<=2)[ABab]))*(?![^\W\d_])")
_GROUP = re.compile(r"[0-9AB]+")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
# Letters a hurried or evasive writer types for digits (« l 85 O5 78 OO6 O84 9l »): read as digits in
# a run that is mostly digits already, so that a word (« Il », « Oo ») is never taken for a number.
_LOOKALIKE_RUN = re.compile(r"(?<![^\W\d_])[0-9OoIl](?:[^\w:,;]{0,3}[0-9OoIl])*(?![^\W\d_])")
_LOOKALIKE_DIGITS = str.maketrans("OoIl", "0011")
# One next to a digit (most texts hold none: no run is read). Two searches, each starting with one
# class, cost a fifth of one search of both alternatives.
_LOOKALIKE_BEFORE_DIGIT = re.compile(r"[OoIl](?<![^\W\d_][OoIl])[^\w:,;]{0,3}[0-9]")
_LOOKALIKE_AFTER_DIGIT = re.compile(r"[0-9][^\w:,;]{0,3}[OoIl]+(?![^\W\d_])")
_LOOKALIKE_MIN_DIGITS = 8
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
# Words that say a number is a NIR: where one stands before it, up to three pieces of digits with
# words between them make one (« NIR : 1 84 05 69, la suite 123 456 90 »).
_NIR_CUE = re.compile(
    r"\b(?:nir|secu|securite\s+sociale|ss|insee|vitale|immatriculation|assurance\s+maladie|"
    r"social\s+security|ssn|assure\s+social)\b"
)
_CUE_REACH = 120  # characters between the cue and the number's first piece
_CUED_GAP = 60  # characters of words between two pieces of a number the text calls a NIR
# Without a cue, two whole pieces with one or two short words between them (« 1 84 05 69 et 123 456 90 »):
# no punctuation, which ends a list's item or a sentence.
_BARE_GAP = re.compile(r" ?[a-zà-ÿ]{1,8}(?: [a-zà-ÿ]{1,8})? ?")
# A patient identifier written the hospital's way without the word: « PAT-2026-004512 ».
_CODED_ID = re.compile(r"\b(?:pat|ipp|nda|sej|dos)[\-_/ ]?\d{2,4}[\-_/ ]?\d{4,8}\b")


def ascii_digits(text: str) -> str:
    """Digits of every script as ASCII digits (NFKC turns full-width ones already; this, the rest)."""
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda match: str(unicodedata.digit(match.group())), text)


def _lookalike_digits(text: str) -> str:
    """`text` with O/o and I/l read as 0 and 1 inside runs of digits (same length, same offsets)."""

    def read(match: re.Match[str]) -> str:
        run = match.group()
        digits = sum(char.isdigit() for char in run)
        letters = sum(char in "OoIl" for char in run)
        if not letters or digits < _LOOKALIKE_MIN_DIGITS or letters > digits:
            return run
        return run.translate(_LOOKALIKE_DIGITS)

    if _LOOKALIKE_BEFORE_DIGIT.search(text) or _LOOKALIKE_AFTER_DIGIT.search(text):
        return _LOOKALIKE_RUN.sub(read, text)
    return text


NumberRun = tuple[int, int, list[str]]  # start, end, groups of digits


def number_runs(text: str) -> list[NumberRun]:
    """Each run of digits with short separators in `text` (a `visible` view): where, and its groups.

    Groups are of ASCII digits (`2A`/`2B` upper-case). Identifiers made of hexadecimal digits (UUIDs,
    hashes: a transcript's cue ids) are left out; offsets are those of `text`.
    """
    text = _HEX_ID.sub(lambda match: " " * len(match.group()), _lookalike_digits(ascii_digits(text)))
    return [
        (match.start(), match.end(), _GROUP.findall(match.group().upper())) for match in _CHAIN.finditer(text)
    ]


def has_nir(pieces: list[list[NumberRun]]) -> bool:
    """True when the pieces (each a text's runs, in reading order) hold a NIR.

    That is consecutive groups of digits within one run whose concatenation is a NIR with a valid
    key, or a whole run of 13 digits shaped like a NIR without key (or 15, its key mistyped); or a
    number cut where one piece ends and the next begins (two messages, two fields), with a valid key.
    Runs of one text are joined only as `has_nir_cut_by_words` says: a prompt holds hundreds of
    numbers (times, rooms, extensions), and by chance one series of them in a hundred ends with a
    valid key.
    """
    for runs in pieces:
        for _, _, groups in runs:
            if _in_chain(groups):
                return True
    numbered = [runs for runs in pieces if runs]  # a field without digits in between is no cut
    return any(_keyed_across(before[-1][2], after[0][2]) for before, after in itertools.pairwise(numbered))


def has_nir_cut_by_words(runs: list[NumberRun], folded: str, visible: str) -> bool:
    """True when one text's `runs` hold a NIR cut by words, with a valid key.

    With a cue (« NIR », « sécu », « INSEE », « carte Vitale »…) up to 120 characters before it, up
    to three runs with up to 60 characters of words between each; without one, two whole runs with
    one or two short words between them. The key (one chance in 97 for any 15 digits) is what keeps
    a prompt's hundreds of numbers from being taken for a NIR: without a cue, the structure asked
    (two whole runs, 15 digits exactly) leaves few candidates to try. `folded` and `visible` are
    the text's views (the cue is looked for in the first, then located in the second).
    """
    if len(runs) < 2:
        return False
    cues = [match.start() for match in _NIR_CUE.finditer(fold(visible))] if _NIR_CUE.search(folded) else []
    for index, (start, end, groups) in enumerate(runs[:-1]):
        following = runs[index + 1]
        if _BARE_GAP.fullmatch(visible, end, following[0]) and _keyed("".join(groups + following[2])):
            return True
        if not any(start - _CUE_REACH <= cue <= start for cue in cues):
            continue
        series = [groups]
        for later in runs[index + 1 : index + 3]:
            if later[0] - end > _CUED_GAP:
                break
            series.append(later[2])
            end = later[1]
            if _keyed_across([group for piece in series[:-1] for group in piece], series[-1]):
                return True
    return False


def _keyed(digits: str) -> bool:
    match = _KEYED.fullmatch(digits)
    if match is None:
        return False
    sex, year, month, department, commune, order, key = match.groups()
    department = {"2A": "19", "2B": "18"}.get(department, department)
    return 97 - int(f"{sex}{year}{month}{department}{commune}{order}") % 97 == int(key)


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
