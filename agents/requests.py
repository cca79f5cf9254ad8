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


# « Peux-tu demander un accès… », « Mets en sécurité le compte… », « Commande les fournitures… »: an
# administrative action asked for (a polite frame or an imperative opening a clause) on the kind of
# object the hospital's robots handle. Questions about a procedure (« Comment demander un accès ? »)
# open with no action verb and stay with the documents.
_POLITE = (
    r"(?:(?:peux|pourrais|peut|pourrait)-(?:tu|on)|(?:pouvez|pourriez)-vous|merci de|il faut|il faudrait|"
    r"je (?:voudrais|souhaite|veux|dois)|j'aimerais|j'ai besoin de|svp|s'il (?:te|vous) plait)"
)
_ACTION = (
    r"(?:demand\w*|cre(?:e|er|es|ez)|ouvr\w*|attribu\w*|donn(?:e|er|ez)|securis\w*|"
    r"(?:mets?|mettez|mettre)(?:-le|-la|-les)? en securite|bloqu\w*|desactiv\w*|refactur\w*|factur\w*|"
    r"class(?:e|er|ez)|rapproch\w*|reconcili\w*|command(?:e|er|ez)|anonymis\w*|extrai\w*|clotur\w*|"
    r"ferm(?:e|er|ez)|control(?:e|er|ez)|gener(?:e|er|ez)|produi[st]\w*|trait(?:e|er|ez)|lance\w*|"
    r"declench\w*|(?:fai[st]|faire|faites) (?:la|le|les|une|un)\s+(?:re)?(?:facturation|commande|"
    r"classement|rapprochement|fermeture|cloture|controle|extraction|anonymisation|demande))"
)
_ASKED_ACTION = re.compile(rf"(?:^|[,;:.!?] ?|\bet )(?:{_POLITE} )?{_ACTION}\b")
_WANTED = re.compile(rf"(?:^|[,;:.!?] ?){_POLITE} (?:le|la|les|un|une|des)\b")
_ADMIN_OBJECT = re.compile(
    r"\b(?:acces|habilitations?|droits|comptes?|actes|scelles|peopledoc|documents rh|dossiers|examens|"
    r"identites|fournitures|produits|commandes?|seances|consultations externes|procedures degradees|"
    r"images|pacs|rapports?|vulnerabilites|active directory|annuaire|rendez-vous planifies)\b"
)
_WRITING = re.compile(r"^(?:redig|ecri|compose|formule|reformul|tradui|resum|synthes)\w*")


def asks_robot_task(message: str) -> bool:
    """An administrative task a robot does, asked for without naming a robot (« Crée un accès Pastel… »)."""
    folded = fold(message).lstrip("« \"'")
    if _WRITING.match(folded) or not _ADMIN_OBJECT.search(folded):
        return False
    return bool(_ASKED_ACTION.search(folded) or _WANTED.search(folded))


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
