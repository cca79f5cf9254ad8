"""Reading a French request about a meeting: which meeting, which speaker, how many points."""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.folding import fold

_NUMBERS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
}
_COUNT = re.compile(
    r"\ben\s+(\d{1,2}|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)\s+"
    r"(?:points?|idees?|elements?|axes?|messages?|parties?|puces?)\b"
)
_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_WHEN = re.compile(
    rf"\b(avant-hier|hier|aujourd'hui|ce matin|cet apres-midi"
    rf"|(?:{_DAYS})\s+(?:dernier|passe)|(?:{_DAYS})(?=\s|$)"
    rf"|la semaine (?:derniere|passee)|le mois (?:dernier|passe)"
    rf"|(?:le\s+)?(?:{_DAYS}\s+)?\d{{1,2}}(?:er)?\s+(?:{_MONTHS})(?:\s+\d{{4}})?)\b"
)
_SPEAKER_CUE = re.compile(
    r"(?:intervention|interventions|propos|discours|prise de parole|expose|presentation|message|celle|celui)"
    r"\s+(?:de|d'|du)\s*(?P<name>[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?)"
    r"|ce qu'a (?:dit|presente|explique|annonce)\s+(?P<name2>[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?)"
)
_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|m|t)'")
_FILLERS = re.compile(
    r"\b(?:j'ai|je n'ai pas pu assister a|je n'etais pas a|j'etais absente? (?:a|de)|loupe|rate|manque"
    r"|resume[sz]?-?moi|resumer|fais-moi|faites-moi|peux-tu|pouvez-vous|pourrais-tu|me faire|un resume"
    r"|une synthese|synthetise-moi|synthese|resume|de|du|des|d'|la|le|les|l'|en|stp|svp|s'il te plait"
    r"|s'il vous plait|merci|moi|a|au|sur|reunion|seance|que|est-il dit|ai|ete|etait|ce qui)\b"
)


@dataclass(frozen=True)
class MeetingRequest:
    """What the user asked, read from their words."""

    subject: str
    when: str | None
    speaker_hint: str | None
    points: int | None


def read_request(text: str) -> MeetingRequest:
    """Extract subject words, a date phrase, a speaker hint and a number of points."""
    folded = fold(text)
    count = _COUNT.search(folded)
    points = None
    if count:
        word = count.group(1)
        points = int(word) if word.isdigit() else _NUMBERS[word]
    when_match = _WHEN.search(folded)
    speaker_match = _SPEAKER_CUE.search(folded)
    speaker = None
    if speaker_match:
        speaker = (speaker_match.group("name") or speaker_match.group("name2") or "").strip() or None
    rest = folded
    for match in (count, when_match, speaker_match):
        if match:
            rest = rest.replace(match.group(0), " ")
    rest = _ELISION.sub(" ", re.sub(r"[,;:.!?«»\"()]", " ", rest))
    subject = " ".join(_FILLERS.sub(" ", rest).split())
    return MeetingRequest(
        subject=subject, when=when_match.group(0) if when_match else None, speaker_hint=speaker, points=points
    )


def match_speaker(hint: str | None, request: str, speakers: list[str]) -> str | None:
    """The speaker among `speakers` the request names (full name, or surname alone), if any."""
    folded_request = fold(request)
    for speaker in sorted(speakers, key=len, reverse=True):
        if fold(speaker) in folded_request:
            return speaker
    if hint:
        for speaker in speakers:
            parts = fold(speaker).split()
            if fold(hint) in parts or fold(hint) == " ".join(parts[-1:]):
                return speaker
    return None


_ORDINAL_WORDS = {
    "premier": 1, "deuxieme": 2, "second": 2, "troisieme": 3, "quatrieme": 4, "cinquieme": 5,
    "sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10, "dernier": -1,
}  # fmt: skip
_POINT_REFERENCE = re.compile(
    r"\b(?:(?P<word>premier|deuxieme|second|troisieme|quatrieme|cinquieme|sixieme|septieme|huitieme"
    r"|neuvieme|dixieme|dernier)|(?P<digit>\d{1,2})(?:e|eme|er)?)\s+point\b"
    r"|\bpoint\s+(?:n°\s*|numero\s+)?(?P<after>\d{1,2})\b"
)


def point_reference(text: str) -> int | None:
    """« le deuxième point », « point 3 », « le dernier point »: its number (-1 for the last), if any."""
    match = _POINT_REFERENCE.search(fold(text))
    if match is None:
        return None
    if match.group("word"):
        return _ORDINAL_WORDS[match.group("word")]
    return int(match.group("digit") or match.group("after"))


def merged(current: MeetingRequest, earlier: MeetingRequest, names_meeting: bool) -> MeetingRequest:
    """A follow-up's request, completed by the previous one (« et celle de Julien ? »: same meeting)."""
    return MeetingRequest(
        subject=current.subject if names_meeting and current.subject else earlier.subject,
        when=current.when or (None if names_meeting else earlier.when),
        speaker_hint=current.speaker_hint or earlier.speaker_hint,
        points=current.points or earlier.points,
    )
