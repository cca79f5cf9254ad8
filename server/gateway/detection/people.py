"""People a text is about: named (with or without civility, any case), or designated in context.

Strong references name someone wherever they stand in a conversation: a civility and a name, a
first name (from `first_names.txt`) with a surname, a name of the directory, an e-mail address, « le
patient DUPONT ». Weak references designate someone only next to what is said of them: a first name
as the subject (« Sylvie est … »), « ma mère », « ce patient », « le patient de la chambre 12 »,
« une femme de 54 ans », « j'ai un cancer », « Dupont a … »: they count within a few sentences.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick

from server.gateway.detection.normalise import Views, fold
from server.gateway.detection.roles import ENGLISH_FIRST_PERSON, ROLES, designated_by_role

_HERE = Path(__file__).parent
_CIVILITIES = (
    "m.",
    "mr",
    "mme",
    "mlle",
    "mmes",
    "monsieur",
    "madame",
    "mademoiselle",
    "dr",
    "docteur",
    "pr",
    "professeur",
)
_CIVILITY, _FIRST, _SURNAME = 0, 1, 2
# A doctor's title names a professional (« conférence du Dr Henry sur l'obésité »): not by itself a
# person the health terms are about; « le Dr Henry a un cancer » is still read (`_STATE_VERB`).
_PROFESSIONAL = frozenset({"dr", "docteur", "pr", "professeur"})
_STOPWORDS = frozenset(
    """a as ai avait avaient est et ou de du des le la les l un une qui que quoi se sa son ses il elle ils
    elles on va vont doit sera seront etait etaient en au aux pour par sur dans avec chez ne n y ce cet
    cette ces d s m t j tres bien aussi mais donc or ni car vient fait dit souffre presente prend aurait
    peut pourra devra sont ont nous vous je tu me te lui leur leurs mon ma mes ton ta tes notre nos votre
    vos si comme plus moins pas non oui merci bonjour demain hier aujourd apres avant pendant depuis
    selon sans sous vers entre contre lors alors puis ensuite enfin deja encore toujours jamais the and
    of to in for is was directeur directrice responsable chef cadre service pole equipe""".split()
)
# Words before a name that make it a place, not a person (« hôpital Jean Verdier », « rue Paul Bert »).
_PLACE = re.compile(
    r"\b(?:hopital|chu|chru|ch|centre|clinique|institut|rue|avenue|boulevard|bd|av|place|college|lycee|"
    r"ecole|salle|pavillon|batiment|fondation|residence|ehpad|site|allee|quai|pont|gare|stade|square)"
    r"\s+(?:[a-z\-]+\s+)?$"
)
_AFTER_TITLE = re.compile(r"\b(?:dr|docteur|pr|professeur)\.?\s+(?:[a-z\-]+\s+)?$")
_NEXT_WORD = re.compile(r"\s+([A-Za-z][A-Za-z\-]*)")
_PREVIOUS_WORD = re.compile(r"([A-Za-z][A-Za-z\-]*)\s+$")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+\.[\w.\-]+")
_NAMED_PATIENT = re.compile(
    r"(?i:patient|patiente|malade|resident|residente|usager|enfant|bebe)e?s?\s*[:\-]?\s+([A-Z][A-Za-z\-]+)"
)

# Possessives of the first and second person only: « son enfant malade » in a regulation is anyone's.
_RELATIVE = re.compile(
    r"\b(?:mon|ma|mes|notre|nos|votre|vos|ton|ta|tes)\s+(?:propre\s+)?(?:fils|fille|"
    r"enfants?|bebe|mere|pere|parents?|mari|epou(?:x|se)|femme|conjointe?|compagne|compagnon|frere|soeur|"
    r"grand\W?(?:mere|pere|parents?)|oncle|tante|neveu|niece|cousine?|voisine?|collegue|amie?|patiente?|"
    r"chef|responsable|agente?|stagiaire|assistante?|secretaire|bel(?:le)?\W?(?:mere|pere|soeur|frere|fille)|"
    r"beau\W?(?:pere|frere|fils)|petit\W?(?:fils|e\W?fille)|residente?|infirmiere?|medecin|directeur|"
    r"directrice|adjointe?|manager|cadre|salariee?|employee?|subordonnee?|binome|eleve|etudiante?|"
    rf"nourrisson|ado(?:lescente?)?|garcon|copine?|partenaire|locataire|tuteur|tutrice|{ROLES})\b"
)
# « Ce patient », or « le patient » with what singles them out (« le patient qu'on a vu hier »):
# « le patient, la pathologie, le compte rendu » in a project meeting designates nobody.
_DESIGNATED = re.compile(
    r"\b(?:(?:ce|cette|cet)\s+(?:meme\s+)?(?:patiente?|malade|residente?|usagere?|enfant|bebe|nourrisson|"
    r"agente?|collegue|salariee?|victime|personne)|(?:le|la|l|du|au|de\s+la|de\s+l|a\s+la|a\s+l)\s+"
    r"(?:patiente?|malade|residente?|usagere?|enfant|bebe|nourrisson|nouveau\W?ne|parturiente|defunte?|"
    r"hospitalisee?|victime|blessee?|operee?|accidentee?|intoxiquee?)\s+(?:qui|que|qu|dont|d\s+hier|"
    r"de\s+ce\s+matin|de\s+cette\s+nuit|en\s+question|concernee?|admise?|hospitalisee?|decedee?|"
    r"sortie?|transferee?|arrivee?|vue?|recue?|que\s+j|dont\s+je|de\s+(?:m|mme|monsieur|madame)\b))\b"
)
_FIRST_PERSON = re.compile(
    r"\b(?:j\s*ai(?:\s+eu|\s+ete)?|je\s+suis|je\s+souffre(?:\s+d\w*)?|j\s*avais|je\s+prends|je\s+vais\s+"
    r"(?:etre|subir|me\s+faire)|je\s+dois\s+(?:etre|subir|prendre|me\s+faire)|on\s+m\s*a|m\s*a\s+ete|"
    rf"moi\s+(?:qui|aussi)|mon|ma|mes|me\s+soigne|me\s+fais|{ENGLISH_FIRST_PERSON})\b"
)
_ROOM = re.compile(
    r"\b(?:chambre|ch|lit|box|bureau\s+de\s+consultation|bed|room)\s*(?:n\W?\s*|no\s*)?\d{1,4}[a-z]?\b"
)
_AGE = re.compile(
    r"\b(?:(?:homme|femme|garcon|fille|enfant|patiente?|monsieur|madame|bebe|nourrisson|adolescente?|"
    r"personne|dame|jeune)\s+(?:agee?\s+)?de\s+\d{1,3}\s*(?:ans|mois)|agee?\s+de\s+\d{1,3}\s*(?:ans|mois)|"
    r"\d{1,3}\s*ans\s*,?\s*(?:homme|femme|sexe)|"
    # A clinical note's shorthand: « pat. 72 ans », « Mme, 80 ans », « patiente 45 ans ».
    r"(?:pat|pte|patiente?|homme|femme|monsieur|madame|mme|mr)\.?\s*,?\s*\d{1,3}\s*ans)\b"
)
# Read on the visible view: « Dupont a un cancer » (a verb), not « Mettre à jour » (a preposition).
_STATE_VERB = re.compile(
    r"\b([A-ZÀ-Ý][a-zà-ÿ\-]{2,}|[A-ZÀ-Ý]{3,})\s+(?:a\s+été|a|est|souffre|présente|était|avait|reste|"
    r"subit|suit|sera|restera)\b"
)
_AT_WORK = re.compile(r"\s(?:présente|suit|sera|restera|reste)$")
_NOT_NAMES = frozenset(
    """le la les un une des il elle ils elles on ce cet cette ces qui quel quelle chaque tout toute tous
    notre votre leur son sa mon ma nous vous je tu lundi mardi mercredi jeudi vendredi samedi dimanche
    ariane chru chu ars dgos hds rh drh dsi dtnib cnil anssi urssaf cpam mdph""".split()
)
_FIRST_PERSON_REACH = 40  # characters after « j'ai », « mon »… where the health term must stand


@dataclass(frozen=True)
class NameBook:
    """Names the detectors know: the first-name list, and the directory's people (refreshable)."""

    surnames: frozenset[str] = frozenset()
    _automaton: ahocorasick.Automaton = field(init=False, repr=False, compare=False)
    digest: bytes = field(init=False, repr=False, compare=False)  # names what the book knows

    def __post_init__(self) -> None:
        known = "\n".join(sorted(self.surnames)).encode("utf-8", "surrogatepass")
        object.__setattr__(self, "digest", hashlib.sha256(known).digest())
        automaton = ahocorasick.Automaton()
        for civility in _CIVILITIES:
            automaton.add_word(civility, (_CIVILITY, len(civility)))
        for name in first_names():
            automaton.add_word(name, (_FIRST, len(name)))
        for surname in self.surnames:
            if surname not in first_names() and len(surname) > 2:
                automaton.add_word(surname, (_SURNAME, len(surname)))
        automaton.make_automaton()
        object.__setattr__(self, "_automaton", automaton)

    @classmethod
    def of(cls, people: Iterable[str]) -> NameBook:
        """A book knowing these full names' surnames (and first names, all in the list anyway)."""
        surnames = {fold(word) for person in people for word in person.split()[1:] if len(word) > 2}
        return cls(frozenset(surnames))

    def strong(self, views: Views) -> bool:
        """True when the text names someone outright."""
        plain, lower = views.plain, views.lower
        if "@" in lower and _EMAIL.search(lower):
            return True
        if "patient" in lower or "malade" in lower or "resident" in lower or "usager" in lower:
            for match in _NAMED_PATIENT.finditer(plain):
                if match.group(1).lower() not in _STOPWORDS:
                    return True
        return any(kind is not None and kind[0] for kind in self._names(plain, lower, strong=True))

    def lone_first_name(self, views: Views) -> bool:
        """True when a first name stands alone (a weak reference)."""
        return any(kind is not None for kind in self._names(views.plain, views.lower, strong=False))

    def _names(self, plain: str, lower: str, *, strong: bool) -> Iterable[tuple[bool] | None]:
        for end, (kind, length) in self._automaton.iter(lower):
            start, stop = end - length + 1, end + 1
            if (start and lower[start - 1].isalnum()) or (
                stop < len(lower) and lower[stop].isalnum() and kind != _CIVILITY
            ):
                continue
            if kind != _CIVILITY and (
                _PLACE.search(lower, max(0, start - 40), start)
                or _AFTER_TITLE.search(lower, max(0, start - 40), start)
            ):
                continue
            yield self._judge(kind, plain, lower, start, stop, strong)

    def _judge(
        self, kind: int, plain: str, lower: str, start: int, stop: int, strong: bool
    ) -> tuple[bool] | None:
        following = (
            _NEXT_WORD.match(plain, stop)
            if kind != _CIVILITY
            else re.compile(r"\.?\s*([A-Za-z0-9][A-Za-z0-9\-]*)").match(plain, stop)
        )
        word = following.group(1) if following else ""
        if kind == _CIVILITY:
            civility = lower[start:stop]
            if civility in _PROFESSIONAL or (civility == "m." and not word[:1].isupper()):
                return None
            # « Mme X. », « M. D » : an initial names someone as surely as a surname.
            named = (len(word) > 1 and any(char.isalpha() for char in word)) or word.isupper()
            return (True,) if named and word.lower() not in _STOPWORDS else None
        capital = plain[start].isupper()
        if kind == _SURNAME:
            return (True,) if capital else None
        if not capital and lower[start:stop] in ambiguous_first_names():
            return None
        if word and word.lower() not in _STOPWORDS and len(word) > 1:
            if (capital and word[0].isupper()) or (not capital and word.islower()):
                return (True,)
        previous = _PREVIOUS_WORD.search(plain, max(0, start - 30), start)
        if previous and previous.group(1).isupper() and len(previous.group(1)) > 1:
            if previous.group(1).lower() not in _NOT_NAMES:
                return (True,)
        return None if strong else (False,)


def weak(views: Views, book: NameBook, health: Callable[[str], bool], *, short: bool = False) -> bool:
    """True when the text designates someone (see the module's doc); `health` reads a folded text.

    In a `short` text (a chat message), a first name alone counts too; in a long one (a meeting's
    transcript), people call each other by their first names next to every subject.
    """
    folded = views.folded
    if _RELATIVE.search(folded) or _DESIGNATED.search(folded) or _ROOM.search(folded) or _AGE.search(folded):
        return True
    if designated_by_role(folded, health):
        return True
    for match in _FIRST_PERSON.finditer(folded):
        if health(folded[match.end() : match.end() + _FIRST_PERSON_REACH]):
            return True
    for match in _STATE_VERB.finditer(views.spoken):  # « Dupont a un cancer »: what follows the verb
        after = fold(views.spoken[match.end() : match.end() + _FIRST_PERSON_REACH])
        if fold(match.group(1)) in _NOT_NAMES or not health(after):
            continue
        # « le Dr Morel présente les résultats sur la douleur »: a professional at work, unlike
        # « le Dr Henry a un cancer ».
        titled = _AFTER_TITLE.search(fold(views.spoken[max(0, match.start() - 40) : match.start()]))
        if not (titled and _AT_WORK.search(match.group())):
            return True
    return short and book.lone_first_name(views)


@cache
def first_names() -> frozenset[str]:
    """The first-name list."""
    return _words("first_names.txt")


@cache
def ambiguous_first_names() -> frozenset[str]:
    """First names that are ordinary words too: names only when capitalised."""
    return _words("ambiguous_first_names.txt")


def _words(name: str) -> frozenset[str]:
    lines = (_HERE / name).read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())
