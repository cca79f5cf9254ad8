"""People designated by their job or place rather than by name, in French and in English.

« L'agent du standard », « notre brancardier », « the patient in bed 4 »: a hospital's staff
speak of colleagues and patients this way as often as by name. A job alone is anyone's (« l'agent
doit transmettre son arrêt »: a regulation): it designates one person only with a possessive
(« notre brancardier »), or with what singles them out (« du standard », « de garde ») and a verb of
state right before what is said of them (« … est enceinte », « … : covid positif »). Read on the
folded view (lower case, no accents, apostrophes as spaces).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Jobs of a hospital and of any office, feminine forms included.
ROLES = (
    r"(?:agente?s?|secretaires?|brancardiere?s?|infirmiere?s?|aide\W?soignante?s?|ash|ide|iade|ibode|"
    r"internes?|externes?|medecins?|cadres?|chefs?|collegues?|gestionnaires?|standardistes?|"
    r"assistante?s?|techniciennes?|technicien|manipulat(?:eur|rice)s?|sage\W?femmes?|kines?|"
    r"kinesitherapeutes?|psychologues?|pharmaciennes?|pharmacien|preparat(?:eur|rice)s?|"
    r"ambulanciere?s?|coursiere?s?|magasiniere?s?|cuisiniere?s?|responsables?|direct(?:eur|rice)s?|"
    r"adjointe?s?|stagiaires?|apprentie?s?|salariee?s?|employee?s?|benevoles?|vacataires?|"
    r"remplacante?s?|puericultrices?|auxiliaires?|ergotherapeutes?|orthophonistes?|dieteticienne?s?|"
    r"educat(?:eur|rice)s?|animat(?:eur|rice)s?|ouvriere?s?|electricienne?s?|electricien|"
    r"chauffeurs?|lingeres?|hotesses?|accueillante?s?|comptables?|juristes?|informaticienne?s?|"
    r"informaticien|developpeu(?:r|se)s?|archivistes?|veilleu(?:r|se)s?|surveillante?s?|"
    r"vigiles?|agents?\s+de\s+(?:securite|service|accueil|entretien))"
)
# A job with what singles its holder out: « l'agent du standard », « la secrétaire du pôle »,
# « l'interne de garde », « l'ASH du 2e étage », then a verb of state (or a colon) before the rest.
_SINGLED_OUT = re.compile(
    rf"\b(?:le|la|l|cet|cette|ce)\s+{ROLES}\s+(?:du|de\s+la|de\s+l|des|de|d|en)\s+[a-z0-9]+"
    r"(?:\s+(?:etage|service|nuit|garde|jour))?"
    r"\s*(?P<link>:|,|(?<=\s)(?:qui\s+)?(?:est|a|a\s+ete|a\s+fait|a\s+eu|a\s+obtenu|passe|souffre|sera|"
    r"etait|avait|reste|restera|vient\s+d\w+|se\s+trouve|doit\s+etre|fait|prend))(?=\s)"
)
_ENGLISH_SINGLED_OUT = re.compile(
    r"\bthe\s+(?:patient|resident|nurse|doctor|colleague|coworker|co\W?worker|secretary|intern|"
    r"manager|man|woman|lady|gentleman|child|baby|boy|girl|porter|receptionist)\s+(?:in|from|of|on|at)"
    r"\s+(?:the\s+)?[a-z0-9]+(?:\s+[a-z0-9]+)?\s+(?P<link>is|was|has|had|tested|suffers|got|needs)\b"
)
# Possessives of the first and second person in English (« my coworker has breast cancer »).
_ENGLISH_RELATIVE = re.compile(
    r"\b(?:my|our|your)\s+(?:colleague|coworker|co\W?worker|mother|mom|mum|father|dad|son|daughter|"
    r"child|kid|baby|wife|husband|partner|brother|sister|friend|neighbou?r|boss|manager|patient|nurse|"
    r"secretary|grandmother|grandfather|grandma|grandpa|aunt|uncle|cousin|team\s?mate|assistant)s?\b"
)
# Words one of which an English designation holds: French text (most) is not searched for one.
_ENGLISH_GATES = ("the ", "my ", "our ", "your ")
ENGLISH_FIRST_PERSON = r"i\s+(?:have|had|am|was|m|ve|suffer|got)"
# What is said of them: the verb and the three words after it (« est enceinte », « passe en mi-temps
# thérapeutique », « : covid positif »), not a sentence about their work (« le médecin du travail
# est informé de l'arrêt maladie », « le cadre de santé est responsable du circuit des antibiotiques »).
_PREDICATE = re.compile(r"(?:\s+\S+){1,3}")


def designated_by_role(folded: str, health: Callable[[str], bool]) -> bool:
    """True when `folded` designates someone by job, place or English possessive.

    `health` reads a folded text (`Vocabulary.found_in`): after a job singled out, what follows
    must be health for the job to be the subject of it.
    """
    english = any(word in folded for word in _ENGLISH_GATES)
    if english and _ENGLISH_RELATIVE.search(folded):
        return True
    for pattern in (_SINGLED_OUT, _ENGLISH_SINGLED_OUT) if english else (_SINGLED_OUT,):
        for match in pattern.finditer(folded):
            words = _PREDICATE.match(folded, match.end())
            if words and health(folded[match.start("link") : words.end()]):
                return True
    return False
