"""French social security numbers (NIR) and hospital patient identifiers (IPP, NDA…).

A NIR is read in every spelling seen: any separators between its digits (spaces of every kind,
`.`, `-`, `/`, `_`, line breaks), digits of any script (full-width…), with its key (checked) or
without it (13 digits whose fields are those of a NIR), in one piece or cut in two pieces — two
messages of a conversation, or two fields of a request.
"""

from __future__ import annotations

import re
import unicodedata

# Digits with at most three separator characters between them (a group of a NIR, a phone number, a
# date…); `2A`/`2B` (Corsica) count as digits of a department.
_CHAIN = re.compile(r"(?<![^\W\d_])[0-9](?:[\W_]{0,3}(?:[0-9]|(?<=2)[ABab]))*(?![^\W\d_])")
_KEYED = re.compile(r"([1-478])(\d{2})(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2[AB])(\d{3})(\d{3})(\d{2})")
_UNKEYED = re.compile(
    r"([12])(\d{2})(0[1-9]|1[0-2]|20|3\d|4[0-2]|[5-9]\d)(0[1-9]|[1-8]\d|9[0-5]|2[AB]|9[78]\d)"
)
_PIECES = 3  # a NIR cut in up to three consecutive pieces

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
    return "".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in text)


def digit_chains(text: str) -> list[list[str]]:
    """Each run of digits with short separators, as its groups of digits (`2A`/`2B` upper-case)."""
    return [re.findall(r"[0-9AB]+", chain.upper()) for chain in _CHAIN.findall(ascii_digits(text))]


def _keyed(digits: str) -> bool:
    match = _KEYED.fullmatch(digits)
    if match is None:
        return False
    sex, year, month, department, commune, order, key = match.groups()
    department = {"2A": "19", "2B": "18"}.get(department, department)
    return 97 - int(f"{sex}{year}{month}{department}{commune}{order}") % 97 == int(key)


def has_nir(chains: list[list[str]]) -> bool:
    """True when the chains (in reading order) hold a NIR.

    That is consecutive groups of digits whose concatenation is a NIR with a valid key (across up to
    three chains: a number cut in pieces), or the 13 digits of a NIR without key within one chain
    (across chains, 13 digits of plausible fields occur by chance too often: dates, rooms, extensions).
    """
    groups = [(index, group) for index, chain in enumerate(chains) for group in chain]
    for start, (first_chain, _) in enumerate(groups):
        joined = ""
        for chain, group in groups[start:]:
            if chain - first_chain >= _PIECES:
                break
            joined += group
            if len(joined) > 15:
                break
            if len(joined) == 15 and _keyed(joined):
                return True
            # 13 digits shaped like a NIR (a key missing or mistyped after them), within one chain.
            if len(joined) in (13, 15) and chain == first_chain and _UNKEYED.match(joined):
                return True
    return False


def has_patient_id(folded: str) -> bool:
    """True when `folded` (lower case, no accents) holds a patient, stay or file number."""
    return bool(_PATIENT_ID.search(folded) or _CODED_ID.search(folded))
