"""What kind of request a French message is, read from its grammar rather than from one scenario.

Each recogniser is deliberately plain (a verb family and a noun family, folded): it decides only the
unambiguous cases, and leaves the rest to the model router or the embeddings. The workflows' cards
(`agents.cards`) point at them.
"""

from __future__ import annotations

import re

from agents.folding import fold

_SUMMARY_VERB = re.compile(
    r"\b(resum\w*|synthes\w*|synthetis\w*|compte rendu|points? cles|ce qui s'est dit|grandes lignes"
    r"|l'essentiel|retiens?\b|retenir)"
)
_MEETING_NOUN = re.compile(
    r"\b(reunions?|comites?|assemblees?|ag|copil|codir|seances?|interventions?|cellule|conseil|"
    r"commission|webinaires?|visio|conference)\b"
)
_ROBOT_VERB = re.compile(r"\b(lance\w*|declench\w*|execut\w*|demarr\w*|relance\w*|fais tourner)\b")
_CALENDAR_NOUN = re.compile(
    r"\b(reunions?|rendez-vous|rdv|agenda|calendrier|planning|evenements?|creneaux?|disponibilites?|"
    r"visios?|entretiens?)\b"
)
_CALENDAR_ASK = re.compile(
    r"\b(quel\w*|liste\w*|ai-je|j'ai|ai je|mes|mon agenda|mon planning|suis-je|prevu\w*|programme\w*|"
    r"a venir|prochaine?s?|combien de)\b"
)
_WHAT_DO_I_HAVE = re.compile(r"\bqu'est-ce que j'ai\b|\bqu'ai-je\b|\bqu'est ce que j'ai\b")
# Tasks that only a generative model can do: write, rephrase, translate, compute, plan.
_NEEDS_MODEL = re.compile(
    r"^(?:peux-tu |pourrais-tu |pouvez-vous |pourriez-vous |merci de |j'aimerais que tu |aide-moi a )?"
    r"(?:redig\w*|ecri[st]\w*|compose\w*|formule\w*|reformul\w*|tradui\w*|corrige\w*|relis\w*|"
    r"calcul\w*|planifi\w*|organise\w*|propose\w*|invente\w*|genere\w*|imagine\w*|prepare (?:un|une|le|la)"
    r"|fais (?:un|une) (?:mail|courriel|message|lettre|courrier|plan|tableau|calcul|liste de))"
    r"|\b(?:combien (?:font|fait|ca fait)|\d+\s*(?:x|\*|fois|plus|moins|divise par|\+)\s*\d+)"
    r"|\b(?:traduis|traduire|en anglais|en espagnol|en allemand)\b"
    r"|\b(?:redige|rediger|ecris|ecrire) (?:un|une|le|la|moi)\b"
)
DOCUMENT_SYNTHESIS = re.compile(
    r"\b(?:synthes\w*|resum\w*|synthetis\w*|grandes lignes|points cles|l'essentiel)\b"
    r"(?:\s+(?:moi|nous))?\s*(?:de|du|des|d'|sur)?\s*(?P<subject>.+)$"
)


def asks_meeting_summary(message: str) -> bool:
    """« Résume la réunion… », « synthèse du comité… »: a summary verb and a meeting noun."""
    folded = fold(message)
    return bool(_SUMMARY_VERB.search(folded) and _MEETING_NOUN.search(folded))


def names_meeting(message: str) -> bool:
    """True when the message names a meeting (« réunion », « comité », « AG »…)."""
    return bool(_MEETING_NOUN.search(fold(message)))


def asks_robot(message: str) -> bool:
    """« Lance le robot… »: a robot named with a launch verb."""
    folded = fold(message)
    return bool(re.search(r"\brobots?\b", folded) and _ROBOT_VERB.search(folded))


def asks_calendar(message: str) -> bool:
    """« Quelles réunions ai-je cette semaine ? », « mes rendez-vous demain », « qu'ai-je jeudi »."""
    folded = fold(message)
    if _SUMMARY_VERB.search(folded) or needs_model(message):
        return False
    if _WHAT_DO_I_HAVE.search(folded):
        return True
    return bool(_CALENDAR_NOUN.search(folded) and _CALENDAR_ASK.search(folded))


def needs_model(message: str) -> bool:
    """Writing, rephrasing, translating, computing or planning: only a generative model can do it."""
    return bool(_NEEDS_MODEL.search(fold(message).lstrip("« \"'")))


def asks_document_synthesis(message: str) -> bool:
    """« Fais-moi une synthèse de la feuille de route IA »: a summary of something that is no meeting."""
    folded = fold(message)
    return bool(DOCUMENT_SYNTHESIS.search(folded) and not _MEETING_NOUN.search(folded))


def synthesis_subject(message: str) -> str:
    """The words naming the document to summarise (« la feuille de route IA »)."""
    match = DOCUMENT_SYNTHESIS.search(fold(message))
    subject = match.group("subject") if match else message
    return re.sub(r"\s+en \w+ (?:points?|lignes?|phrases?)\b.*$|[?!.]+$", "", subject).strip()
