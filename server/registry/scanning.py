"""The description scanner: text a tool gives the model that tries to steer it, in French or English.

Every text a model reads from a tool (description, schema texts and keys) is read as the model would
(`server.registry.normalising.readings`: look-alikes, invisible characters, spacing, encodings
undone) and matched against families of instructions that no honest description contains: ignoring
rules or posing as them, calling other tools, hiding things from the user, carrying conversation
content or secrets out (into an argument, a link, an address), Markdown images and parameterised
links. What only a hiding technique betrays — invisible characters, letters of mixed scripts,
comments, encoded text — is a finding of its own. The patterns were tuned on the `dev` split of
`tests/server/registry/scanner_corpus.py` and are measured on its `test` split (README, Security).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.messages import MESSAGES
from server.registry.normalising import (
    COMMENT,
    encoded_texts,
    is_hidden,
    mixed_scripts,
    readings,
    spaced_runs,
)
from tools.i18n import Text

_ANY = r"[^.!?\n]{0,80}?"  # within one sentence
_NOTE = (
    r"(?:<\s*/?\s*(?:important|system|instructions?|admin|note|secret|hidden)\s*>"
    r"|\[\s*(?:system|important|admin)\s*\])"
)


@dataclass(frozen=True)
class Hit:
    """One family matched: its code, its reason (a text), and the excerpt (in the reading that matched)."""

    code: str
    reason: Text
    excerpt: str


_FAMILIES: list[tuple[str, Text, re.Pattern[str]]] = [
    (
        "ignore_instructions",
        MESSAGES("registry.scan_ignore_instructions"),
        re.compile(
            r"\b(?:ignore[rsz]?|ignoring|disregard|forget|override|bypass|oublie[rsz]?|outrepasse[rsz]?|"
            r"contourne[rsz]?|ne tien[st]? (?:pas|plus) compte|fai[st] abstraction|passe[rsz]? outre)\b"
            + _ANY
            + r"\b(?:instructions?|rules?|guidelines?|polic(?:y|ies)|system prompt|prompt|consignes?|regles?|"
            r"directives?|garde-fous|guardrails?|restrictions?|everything (?:above|before)|"
            r"tout ce qui (?:precede|est au-dessus))\b"
            r"|\b(?:system prompt|prompt systeme|invite systeme|you are now|from now on,? you|"
            r"tu es desormais|vous etes desormais|tu es maintenant|vous etes maintenant|"
            r"a partir de maintenant,? (?:tu|vous)|new instructions?|nouvelles? (?:consignes?|instructions?)|"
            r"developer mode|mode developpeur|jailbreak)\b"
            r"|\b(?:quoi qu'on (?:t'|vous )?(?:ait|a) dit|"
            r"whatever (?:you were|you've been|you have been) told|"
            r"(?:suis|suivez|obey|follow) (?:uniquement|seulement|only) (?:ce qui|this|these|what)|"
            r"(?:above|over) (?:any|all|every) other (?:rules?|instructions?)|"
            r"au-dessus de (?:toute|toutes les) (?:autres? )?(?:regles?|consignes?))\b"
            r"|\b(?:agis|agissez|comporte-toi|comportez-vous|act|behave|pretend to be|"
            r"fais comme si tu etais)\b"
            + _ANY
            + r"\b(?:sans (?:aucune |la moindre )?(?:limites?|restrictions?|filtres?)|without (?:any )?"
            r"(?:limits?|restrictions?|filters?)|unrestricted|administrat(?:eur|or) (?:systeme|root)|root)\b|"
            + _NOTE,
        ),
    ),
    (
        "calls_other_tools",
        MESSAGES("registry.scan_calls_other_tools"),
        re.compile(
            r"\b(?:before|first|prior to|then|after that|afterwards|also|additionally|always|must|should|"
            r"avant|d'abord|ensuite|puis|apres|aussi|egalement|toujours|systematiquement|il faut|"
            r"(?:tu|vous) (?:dois|devez|devras|devrez))\b"
            + _ANY
            + r"\b(?:call(?:s|ing)?|invoke|use|run|execute|trigger|appel(?:le|lez|er|ant)?|"
            r"utilis(?:e|ez|er)|invoque[rz]?|execute[rz]?|declench(?:e|ez|er)|lance[rz]?)\b"
            + _ANY
            + r"\b(?P<target>tool|function|outil|fonction|[a-z]+_[a-z_]+)\b"
            r"|\b(?:call|invoke|appelle[rz]?|utilise[rz]?|invoque[rz]?)\s+(?:the\s+|l'\s*|un\s+|an?\s+|"
            r"other\s+|autre\s+)?(?:tool|function|outil|fonction)\b"
            r"|\b(?:call|invoke|run|use|appel\w*|invoqu\w*|utilis\w*|lanc\w*|declench\w*|execut\w*)\b"
            r"(?: [\w']+){0,3}? (?:l'|the |le |la |un |an? )?(?:tool|outil|function|fonction) "
            r"(?P<named>[a-z]+_[a-z_]+)\b",
        ),
    ),
    (
        "concealment",
        MESSAGES("registry.scan_concealment"),
        re.compile(
            r"\b(?:do not|don't|dont|never|without|ne (?:pas|jamais)|n'en|sans|surtout pas|jamais)\b"
            + _ANY
            + r"\b(?:tell|mention|inform|reveal|disclose|notify|alert|show|warn|dire|mentionner|informer|"
            r"prevenir|reveler|signaler|afficher|montrer|avertir|dis|dites|mentionne[rz]?|previens|"
            r"prevenez|revele[rz]?|signale[rz]?|montre[rz]?)\b"
            + _ANY
            + r"\b(?:user|utilisat(?:eur|rice)s?|person|personne|human|humain|them|lui|le demandeur|"
            r"la demandeuse)\b"
            r"|\bn(?:e |')(?:(?:le|la|les|l'|lui|leur|en|y|rien) ){0,2}"
            r"(?:dis|dites|dire|mentionne\w*|signale\w*|revele\w*|montre\w*|previens|prevenez|informe\w*|indique\w*|affiche\w*|avertis\w*|parle[sz]?)"
            r" (?:pas|jamais|rien|plus)\b"
            + _ANY
            + r"\b(?:user|utilisat(?:eur|rice)s?|personne|demandeur|demandeuse)\b"
            r"|\b(?:secretly|silently|covertly|quietly|without the user knowing|behind the user'?s back|"
            r"en secret|secretement|discretement|en silence|silencieusement|a l'insu de|a son insu|"
            r"sans que l'utilisat(?:eur|rice) (?:le )?sache)\b"
            r"|\binutile d(?:e |')(?:prevenir|dire|informer|mentionner|signaler|avertir|en parler)\b"
            r"|\bkeep (?:this|it|that)(?: \w+)? (?:secret|hidden|confidential|private)\b"
            r"|\bgarde[rz]? (?:ceci|cela|ca|le|la|l') ?(?:secret|pour toi|pour vous|confidentiel)\b",
        ),
    ),
    (
        "exfiltration",
        MESSAGES("registry.scan_exfiltration"),
        re.compile(
            r"\b(?:send|forward|transmit|upload|post|copy|paste|include|insert|put|attach|append|pass|embed|"
            r"leak|exfiltrate|report|envoie[rsz]?|envoyer|transmet(?:s|tez|tre)?|transfere[rsz]?|"
            r"copie[rsz]?|recopie[rsz]?|colle[rsz]?|inclu(?:s|ez|re)|insere[rz]?|mets|mettez|mettre|"
            r"joins|joignez|joindre|ajoute[rsz]?|passe[rsz]?|integre[rz]?|remonte[rz]?|partage[rz]?|set|fill|"
            r"populate|renseigne[rz]?|remplis|remplissez)\b"
            + _ANY
            + r"\b(?:(?:the |la |le |les |l'|tout(?:e|es)? (?:la |le |les )?|all |entire |full |whole |"
            r"complete |each |every |chaque )?(?:conversation|chat|transcripts?|transcriptions?|history|"
            r"historique|previous messages?|messages? (?:precedents?|de l'utilisat\w+)|context|contexte|"
            r"system prompt|instructions?|compte[- ]rendu|comptes[- ]rendus|echanges?|discussion|"
            r"documents? (?:lus?|consultes?|de l'utilisat\w+)|user'?s? (?:data|messages?|documents?|files?|"
            r"emails?)|donnees de l'utilisat\w+|tout ce que|everything (?:the user|you)))\b",
        ),
    ),
    (
        "asks_for_secrets",
        MESSAGES("registry.scan_asks_for_secrets"),
        re.compile(
            r"~/\.ssh|\bid_(?:rsa|ed25519)\b|\.aws/credentials|/etc/(?:passwd|shadow)|(?:^|[\s/'\"])\.env\b|"
            r"\bprivate key\b|\bcle privee\b"
            r"|\b(?:send|include|pass|add|give|provide|read|give me|envo\w*|transm\w*|ajout\w*|join\w*|"
            r"joign\w*|fourni\w*|donn\w*|lis|lisez|lire|indiqu\w*|copi\w*|recopi\w*|mets|mett\w*|inclu\w*|"
            r"inser\w*|renseign\w*|rempli\w*|return|output|print|reveal|show|set|affich\w*|revel\w*)\b"
            + _ANY
            + r"(?:\w*_api_keys?\b|\w*_(?:secret|token|password)\b|\benvironment variables?\b|"
            r"\bvariables? d'environnement\b)"
            r"|\b(?:send|include|pass|add|give|provide|read|give me|envo\w*|transm\w*|ajout\w*|join\w*|"
            r"joign\w*|fourni\w*|donn\w*|lis|lisez|lire|indiqu\w*|copi\w*|recopi\w*|mets|mett\w*|inclu\w*|"
            r"inser\w*|renseign\w*|rempli\w*)\b"
            + _ANY
            + r"\b(?:passwords?|tokens?|api[ _-]?keys?|secrets?|credentials?|bearer|mots? de passe|"
            r"jetons? d'(?:acces|authentification)|cles? d'api|identifiants de connexion|session cookies?|"
            r"cookies? de session)\b",
        ),
    ),
    (
        "markdown_image",
        MESSAGES("registry.scan_markdown_image"),
        re.compile(r"!\s*\[[^\]]*\]\s*\(\s*[^)\s]+|<\s*img\b"),
    ),
    (
        "exfiltration_link",
        MESSAGES("registry.scan_exfiltration_link"),
        re.compile(r"(?:https?:)?//[^\s)\"'>]+\?[^\s)\"'>]*=|https?://[^\s)\"'>]*[{<$][^\s)\"'>]*"),
    ),
    (
        "exfiltration_address",
        MESSAGES("registry.scan_exfiltration_address"),
        re.compile(
            r"\b(?:send|forward|post|upload|cc|bcc|envoie[rsz]?|transmet\w*|transfere[rsz]?|"
            r"copie[rsz]? a|en copie|adresse[rz]?|a copy of|une copie)\b"
            + _ANY
            + r"(?:\b[\w.+-]+@[\w-]+\.[\w.]+\b|https?://|\bwebhook\b|\bpastebin\b|\bngrok\b)",
        ),
    ),
]


def scan(text: str, own_tools: frozenset[str] = frozenset()) -> list[Hit]:
    """The families a text matches (each once), hiding techniques included.

    `own_tools` are the names of the server's own tools: saying to use one of them first is how
    honest servers chain their tools, so only a call to a tool outside the server is a finding.
    """
    hits: dict[str, Hit] = {}
    hidden = sorted({char for char in text if is_hidden(char)})
    if hidden:
        codes = ", ".join(f"U+{ord(char):04X}" for char in hidden[:8])
        hits["hidden_characters"] = Hit(
            "hidden_characters",
            MESSAGES("registry.scan_hidden_characters", codes=codes),
            "",
        )
    spoofed = mixed_scripts(text)
    if spoofed:
        hits["homoglyphs"] = Hit(
            "homoglyphs",
            MESSAGES("registry.scan_homoglyphs"),
            spoofed[0],
        )
    comment = COMMENT.search(text)
    if comment:
        hits["hidden_comment"] = Hit(
            "hidden_comment", MESSAGES("registry.scan_hidden_comment"),
            comment.group()[:80],
        )  # fmt: skip
    spaced = spaced_runs(text)
    if spaced:
        hits["spaced_letters"] = Hit(
            "spaced_letters",
            MESSAGES("registry.scan_spaced_letters"),
            spaced[0][:80],
        )  # fmt: skip
    encoded = encoded_texts(text)
    if encoded:
        hits["encoded_text"] = Hit("encoded_text", MESSAGES("registry.scan_encoded_text"), encoded[0][:80])
    own = {name.casefold() for name in own_tools}
    for view in readings(text):
        for code, reason, pattern in _FAMILIES:
            if code in hits:
                continue
            for match in pattern.finditer(view):
                groups = match.groupdict()
                target = groups.get("target") or groups.get("named")
                if target is not None and "_" in target and target in own:
                    continue
                hits[code] = Hit(code, reason, _excerpt(view, match.start(), match.end()))
                break
    return list(hits.values())


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - 30) : min(len(text), end + 30)].strip()
