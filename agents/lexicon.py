"""French words as retrieval compares them: stems, no accents, no stop words, a thesaurus.

Snowball stems (PostgreSQL's `french` algorithm), and a small thesaurus of administrative French
that joins words of one meaning.

The local embedding model is English-trained: on French it tells topics apart poorly, so whether a
passage answers rests on the words it shares with the question. Stemming makes « remboursé »,
« remboursement » and « rembourser » one word; the thesaurus makes « plafond » and « maximum »,
« salaire » and « traitement », « PC » and « ordinateur » one meaning. The thesaurus is of the
language of French administrations (pay, leave, travel, health at work, equipment), not of any
document: it holds for documents nobody has seen yet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

from agents.folding import fold

_STEMMER = snowballstemmer.stemmer("french")
MIN_PREFIX = 4  # stems this long or longer match longer forms (« bénéfici » ~ « bénéficiair »)
MAX_SUFFIX = 4  # … that add at most this many letters (« piqu » ~ « piqur », not « cong » ~ « congres »)
_WORD = re.compile(r"[a-zà-öø-ÿœæ0-9_]+")  # hyphens split: « peuvent-ils », « est-ce »

# Function words and question words: they say nothing about the topic.
STOPWORDS = frozenset(
    """
    a au aux avec ce ces cet cette ceux celle celles celui chez comme comment combien dans de des du
    elle elles en entre est et etre eux il ils je j la le les leur leurs lui ma mais me meme mes moi
    mon ne ni nos notre nous on ou par pas peu plus pour qu que quel quelle quelles quels qui quoi sa
    sans se ses si son sont sur ta te tes toi ton tu un une vos votre vous y d l m n s t c qu
    ai as avons avez ont suis es sommes etes etait etaient sera seront serait fait faire faut peut
    peux peuvent puis puisse pourrait dois doit doivent devoir pouvoir veux veut voudrais
    quand pourquoi dont ou lorsque alors donc aussi tres bien tout tous toute toutes autre autres
    apres avant depuis pendant jusqu jusque encore deja ici la-bas oui non ceci cela ca
    ils elles on je t
    chru exemple hopital etablissement
    """.split()
    # Snowball's French stop list (PostgreSQL's `french` configuration drops the same): the forms
    # of « être » and « avoir », accents folded.
    + """
    etais ete etee etees etes etant etante etants etantes serai seras serons serez serais serions seriez
    seraient etions etiez fus fut fumes futes furent sois soyons soyez soient fusse fusses fussions
    fussiez fussent ayant ayante ayantes ayants eu eue eues eus aurai auras aura aurons aurez auront
    aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eumes eutes eurent aie
    aies ait ayons ayez aient eusse eusses eussions eussiez eussent
    """.split()
    # Prepositions, quantifiers and adverbs of frequency: how a question is put, not its topic.
    + """
    sous vers selon hors contre parmi malgre envers des lors chaque plusieurs quelques certains
    certaines beaucoup assez trop seulement souvent toujours parfois ensuite maintenant vraiment
    """.split()
)

# Light verbs and vague words: they carry the question, not its topic (compared as stems, all forms).
LIGHT_WORDS = """
    etre avoir faire passer obtenir prendre donner recevoir envoyer fournir disposer venir aller mettre
    dire savoir vouloir pouvoir devoir falloir toucher trouver arriver rester laisser demander bosser
    recoit recu recus obtient obtenu pris mis fait dit vient va vais envoie touche passe
    chose quelque quelqu'un quelqu truc gens moment fois soit encore vraiment
    cas situation possible possibilite obligatoire necessaire utiliser concerner prevoir exister
    exactement normalement vrai montant
    servir sert valoir vaut valent voir vois voit refaire refais refait marcher fonctionner bouger
    propre poser reclamer reclame exiger exige modalite modalites demarche demarches formalite formalites
    """.split()
# Light verbs of the first group, whose conjugated forms Snowball does not always bring back to the
# infinitive's stem (« touchons » → touchon): each gets its forms.
_LIGHT_ER_VERBS = """
    passer toucher trouver arriver rester laisser demander bosser envoyer utiliser concerner exister
    marcher fonctionner bouger donner poser
    """.split()
_ER_ENDINGS = ("e", "es", "ons", "ez", "ent", "er", "ee", "ees", "ais", "ait", "aient", "erai", "era")
_IRREGULAR_LIGHT = """
    viens vient venons venez viennent venu venue venus suis va allons allez vont vais irai ira
    prends prend prenons prenez prennent recois recoit recevons recevez recoivent recevrai recevra
    mets met mettons mettez mettent dis disons dites disent sais sait savons savez savent veux veut
    voulons voulez veulent peux peut pouvons pouvez peuvent pourrai pourra pourrais pourrait dois doit
    devons devez doivent devrai devra devrais devrait faut faudra faudrait fais faisons faites font
    ferai fera ferais ferait sers servons servez servent vaux valons valez
    """.split()

# Numbers a question gives are the asker's own situation (« il y a trois ans », « une ville de
# 300 000 habitants »): the document states the rule, rarely that figure. They still rank passages
# (« et au-delà de 20 000 € ? » picks its table row) but weigh this much of a word in coverage.
NUMBER_WEIGHT = 0.25
_NUMBER_WORDS = frozenset(
    "un une deux trois quatre cinq six sept huit neuf dix douze quinze vingt trente cent mille".split()
)

# Words of one meaning in administrative French (each line: the words, the first one names it).
_THESAURUS_LINES = """
plafond maximum maximal maximale limite plafonne plafonnee
remuneration salaire paie traitement
hebergement logement loger dormir nuitee hotel appartement
repas dejeuner diner manger
voiture vehicule auto automobile
amende contravention
enfant fils fille ado adolescent adolescente bebe
garde nourrice
ordinateur pc portable
etranger international
autorisation autoriser accord feu_vert permission
medical medecin consultation soin medicament kine kinesitherapeute infirmier dentiste pharmacie
blessure blesse lesion
teletravail teletravailler
domicile maison
an annee annuel annuellement
preavis prevenance prevenir prevenu prevenue previent previennent
recrutement recruter recrute embauche embaucher
location louer bail locataire loyer
gratuit gratuitement offert
carburant essence gazole plein
conjoint epoux epouse concubin
communiquer transmettre envoyer adresser
kilometre km
panne probleme dysfonctionnement incident
deplacement mission congres colloque seminaire voyage
payer regler rembourser prise_en_charge
impot imposable fiscal
absence absent
conge vacances
duree dure durer
malade maladie
deces mort
naissance accouchement
cadre manager responsable chef superieur
agent salarie employe personnel collegue
mariage marier pacs
prime indemnite allocation aide prestation
informatique vpn reseau wifi internet connexion messagerie
refus refuser rejet rejeter
protection proteger couvert couverte couverture
trajet parcours itineraire
piqure piquer aiguille seringue
motif raison
legitime valable
decision decider statuer
reconnaissance reconnaitre reconnu reconnue reconnus reconnues imputabilite imputable
justificatif facture quittance
horaire soir soiree tard tot matin matinee
consecutif consecutifs consecutive consecutives affilee
retard tardif tardive
stationnement parking garer
preparation preparer reviser revision
adaptation essai
commune ville localite
retour rentrer
reprise reprendre reprends reprend
supplementaire bonus
sejour colonie colo
""".strip().splitlines()

# Countries and cities abroad that staff travel to (congresses, exchanges), folded: « un congrès à
# Montréal » is a mission abroad. Not exhaustive: the common destinations of hospital staff.
_ABROAD = """
    allemagne angleterre royaume-uni belgique suisse espagne italie portugal pays-bas luxembourg
    irlande autriche grece pologne suede norvege danemark finlande canada quebec etats-unis usa
    maroc algerie tunisie senegal japon chine inde bresil australie
    londres bruxelles geneve lausanne madrid barcelone rome milan lisbonne amsterdam berlin munich
    dublin stockholm copenhague montreal new_york boston washington san_francisco tokyo
    """.split()

# Phrases made one word before stemming (« au plus » is « maximum », « chez moi » is « domicile »).
_PHRASES = (
    # Question phrases: « combien de temps » asks for a duration, it is not about « temps ».
    (re.compile(r"\bcombien de (?:temps|fois)\b|\ba quel moment\b|\bde quelle facon\b"), " "),
    # « Ai-je droit à … », « a-t-on le droit de … »: the question's frame, not its topic.
    (
        re.compile(
            r"\b(?:ai|as|a|avons|avez|ont|avoir|aurai|aura)(?:-je|-tu|-t-il|-t-elle|-t-on|-on|-nous|-vous)?"
            r" (?:bien |encore |aussi )?(?:le )?droit\b"
        ),
        " ",
    ),
    (re.compile(r"\bau plus(?: tard)?\b|\bau maximum\b|\bau-dela de\b"), " maximum "),
    # « Mari » and « marié » stem as « mars » does (« mar »): read as the spouse and marriage first.
    (re.compile(r"\b(?:mon|ton|son|votre|leur|notre|un|le|du|au) mari\b"), " conjoint "),
    (re.compile(r"\bmarie(?:e|s|es)?\b"), " mariage "),
    # « Trop tard » is about a deadline passed, not a late hour; « à l'avance » frames a notice.
    (re.compile(r"\btrop tard\b"), " retard "),
    (re.compile(r"\ba l'avance\b"), " "),
    # Summer: « été » alone is a form of « être », a stop word.
    (re.compile(r"\b(?:d'|l'|en |cet )ete\b|\bestivale?s?\b"), " estival "),
    # « Combien serai-je payé ? »: what one earns, not a cost paid.
    (
        re.compile(
            r"\b(?:serai|sera|serais|serait|suis|est|etre|serons|serez)(?:-je|-il|-elle|-on)? payee?s?\b"
        ),
        " remuneration ",
    ),
    (re.compile(r"\bfeu vert\b"), " feu_vert "),
    # « Pris en charge », « à la charge de l'établissement »: paid by someone.
    (
        re.compile(r"\bpris(?:e|es)? en charge\b|\bprendre en charge\b|\ba (?:la|sa|leur) charge\b"),
        " prise_en_charge ",
    ),
    # Working from home is telework; « chez moi » alone is the home (a commute, a detour).
    (
        re.compile(
            r"\btravaill\w* (?:(?:de|depuis) )?(?:chez (?:moi|soi|lui|elle)|a la maison|a domicile)\b"
            r"|\btravaill\w* a distance\b|\bbosse\w* (?:de|depuis) chez (?:moi|soi)\b"
        ),
        " teletravail ",
    ),
    (re.compile(r"\bchez (?:moi|soi|lui|elle)\b|\bde chez moi\b|\ba la maison\b"), " domicile "),
    (re.compile(r"\bne (?:marche|fonctionne)(?:nt)? (?:pas|plus)\b|\ben panne\b"), " panne "),
    (re.compile(r"\bhors de france\b|\ba l'etranger\b"), " etranger "),
    # A trip to a country or a city abroad is a trip « à l'étranger », the word regulations use.
    (re.compile(rf"\b(?:{'|'.join(place.replace('_', ' ') for place in _ABROAD)})\b"), " etranger "),
    # « En rentrant chez moi », « en allant au travail »: the commute, a « trajet » in the texts.
    (re.compile(r"\ben (?:rentrant|revenant|allant|partant|venant)\b|\bsur le chemin\b"), " trajet "),
    # The administrative « porté à la connaissance de l'agent » is « communiqué à l'agent ».
    (re.compile(r"\bporte(?:e|s|es)? a (?:sa|la|leur) connaissance\b"), " communiquer "),
    (re.compile(r"\barret de travail\b|\barret maladie\b|\braisons? de sante\b"), " maladie "),
    # « Venir travailler » is taking one's service, not the topic « travail ».
    (re.compile(r"\b(?:venir|aller|me rendre|se rendre) (?:travailler|au travail|bosser)\b"), " service "),
    # A clock time in a text (« entre 21 heures et 7 heures ») is what « tard le soir » asks about.
    (
        re.compile(
            r"\b(?:entre|avant|apres|a partir de|des|jusqu'a|vers) \d{1,2} ?(?:h|heures)\b(?: ?\d\d\b)?"
        ),
        r" \g<0> horaire ",
    ),
    # « Un accident du travail » is one notion (« accident de service » in the public service), not
    # an accident and some work: « travail » alone would pick « santé au travail ».
    (re.compile(r"\baccidents? (?:du|au|de|en cours de) travail\b"), " accident "),
    (re.compile(r"\bse prononce\w*\b"), " decision "),
    # Staff's abbreviations and phrasings of the texts' terms.
    (re.compile(r"\b(?:heures?|h) sups?\b"), " heures supplementaires "),
    (re.compile(r"\beviter que (?:ca|cela) (?:recommence|se reproduise|arrive)\b"), " prevention "),
    # « Suite à mon accident », « au bout de trois semaines »: connectives, not topics.
    (re.compile(r"\b(?:a la )?suite (?:a|au|aux|de|du|des|d')|\bau bout (?:de|d')"), " "),
    # « Chez mes parents », « chez un ami »: a private place that is not one's home.
    (
        re.compile(
            r"\bchez (?:mes|mon|ma|ses|son|sa|des|un|une|nos|notre) (?:parents?|amie?s?|famille|proches?"
            r"|beaux-parents|enfants?|soeurs?|freres?|cousine?s?)\b"
        ),
        " lieu prive ",
    ),
    # « La nuit », « en dehors des heures ouvrables »: a time of day, as « tard le soir ».
    (re.compile(r"\b(?:dans )?la nuit\b"), " nuit horaire "),
    (re.compile(r"\b(?:en dehors|hors) des? heures ouvr\w+\b"), " horaire "),
    # Last year's leave is leave carried over (« reportés jusqu'au 30 avril de l'année suivante »).
    (re.compile(r"\b(?:de|pour) l'(?:an|annee) (?:dernier|derniere|passee|precedente)\b"), " report annee "),
    # « Qui le décide ? » asks who authorises; « déclarer … aux impôts » is about tax, not a declaration.
    (re.compile(r"\bqui (?:le |la |l'|les |en )?decide\w*\b"), " autorisation decision "),
    (re.compile(r"\bdeclar\w* ((?:\w+ ){0,3})(aux impots|au fisc)\b"), r" \1 \2 "),
    (re.compile(r"\bprofessionnels? de sante\b"), " medical "),
    (re.compile(r"\bavancer? (?:l'argent|les frais|la somme|de l'argent)\b"), " payer "),
    # « N'a pas été reconnu / accepté » is what the documents call a refusal.
    (
        re.compile(
            r"\b(?:n'|ne )(?:a|ont|est|sont|etait|avait)(?: pas| plus)(?: ete)? "
            r"(?:reconnue?s?|acceptee?s?|accordee?s?|validee?s?|retenue?s?|admise?s?)\b"
        ),
        " refus ",
    ),
)


def _stem(word: str) -> str:
    return fold(_STEMMER.stemWord(word))


@lru_cache(maxsize=1)
def _concepts() -> dict[str, str]:
    concepts: dict[str, str] = {}
    for line in _THESAURUS_LINES:
        words = line.split()
        for word in words:
            concepts[_stem(word)] = _stem(words[0])
    return concepts


@lru_cache(maxsize=1)
def _light_stems() -> frozenset[str]:
    forms = [verb[:-2] + ending for verb in _LIGHT_ER_VERBS for ending in _ER_ENDINGS]
    return frozenset(_stem(word) for word in [*LIGHT_WORDS, *forms, *_IRREGULAR_LIGHT])


@lru_cache(maxsize=4096)
def _term(word: str) -> str | None:
    folded = fold(word)
    if folded in STOPWORDS or len(folded) < 2 or (folded.isdigit() and len(folded) > 4):
        return None
    stem = _stem(word)
    if stem in _light_stems():
        return None
    return _concepts().get(stem, stem)


def terms(text: str) -> list[str]:
    """The content terms of `text`, in order (stems, thesaurus-joined; numbers kept as they are)."""
    lowered = text.lower().replace("’", "'")
    folded = fold(lowered)
    for pattern, replacement in _PHRASES:
        folded = pattern.sub(replacement, folded)
    found = []
    for word in _WORD.findall(folded.replace("'", " ")):
        term = _term(word)
        if term:
            found.append(term)
    return found


@lru_cache(maxsize=1)
def _concept_words() -> dict[str, tuple[str, ...]]:
    """Each concept's words as written (« plafond » → plafond, maximum, limite…), phrases as words."""
    return {
        _stem(line.split()[0]): tuple(word.replace("_", " ") for word in line.split())
        for line in _THESAURUS_LINES
    }


def expansion(text: str) -> str:
    """The thesaurus words of the concepts `text` names, for a full-text search to meet them too.

    PostgreSQL's `french` configuration stems, but « malade » and « maladie », « hôtel » and
    « hébergement » stay different lexemes: a question in one word misses a passage in the other.
    """
    concepts = _concept_words()
    extra: list[str] = []
    for term in dict.fromkeys(terms(text)):
        extra.extend(concepts.get(term, ()))
    return " ".join(extra)


def term_set(text: str) -> set[str]:
    """The distinct content terms of `text`."""
    return set(terms(text))


def weights(question: set[str], texts: Iterable[set[str]]) -> dict[str, float]:
    """Each question term's weight: rarer among the candidate passages, more telling (smoothed IDF)."""
    candidates = list(texts)
    total = len(candidates)
    return {
        term: math.log(1 + (total + 1) / (1 + sum(matches(term, text) for text in candidates)))
        * (NUMBER_WEIGHT if _is_number(term) else 1.0)
        for term in question
    }


def _is_number(term: str) -> bool:
    return term.isdigit() or term in _NUMBER_STEMS


_NUMBER_STEMS = frozenset(_stem(word) for word in _NUMBER_WORDS)


def matches(term: str, text: set[str]) -> bool:
    """The text holds the term, or a longer or shorter form of it (« bénéfici- », « bénéficiair- »)."""
    if term in text:
        return True
    if len(term) < MIN_PREFIX:
        return False
    for other in text:
        short, long = (term, other) if len(term) <= len(other) else (other, term)
        if len(short) >= MIN_PREFIX and long.startswith(short) and len(long) - len(short) <= MAX_SUFFIX:
            return True
        if _same_root(term, other):
            return True
    return False


SHARED_ROOT = 5  # stems sharing this many first letters …
ROOT_ENDINGS = 2  # … then differing by at most this many on each side: « urgent » ~ « urgenc(e) »


def _same_root(one: str, other: str) -> bool:
    shared = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= SHARED_ROOT and len(one) - shared <= ROOT_ENDINGS and len(other) - shared <= ROOT_ENDINGS


def coverage(question: set[str], text: set[str], weight: dict[str, float]) -> float:
    """Share of the question's (weighted) terms the text holds."""
    mass = sum(weight.get(term, 1.0) for term in question)
    held = sum(weight.get(term, 1.0) for term in question if matches(term, text))
    return held / mass if mass else 0.0


def _content_words(text: str) -> list[tuple[str, str]]:
    """(folded word, term) for each content word of `text`, in order."""
    found = []
    for word in _WORD.findall(fold(text).replace("'", " ")):
        term = _term(word)
        if term:
            found.append((word, term))
    return found


def _initials(text: str) -> dict[str, set[str]]:
    """Acronyms the text's runs of 2–5 content words would make (« compte épargne-temps » → cet)."""
    words = _content_words(text)
    made: dict[str, set[str]] = {}
    for start in range(len(words)):
        for size in range(2, 6):
            run = words[start : start + size]
            if len(run) == size and all(word[0].isalpha() for word, _ in run):
                made["".join(word[0] for word, _ in run)] = {term for _, term in run}
    return made


_ROMAN = re.compile(r"^[IVX]+$")


def with_acronyms(question: str, text: str, held: set[str]) -> set[str]:
    """The text's terms, plus those an acronym stands for on either side (« CET », « compte épargne-temps »).

    French administrative texts name things once in full and then by their initials: a question in full
    words meets a passage in initials, and the other way round.
    """
    # Acronyms are in capitals; « Titre IV », « Article XII » are numbers (« IV » is not « identité visa »).
    tokens = {fold(token) for token in re.findall(r"\b[A-Z]{2,5}\b", text) if not _ROMAN.match(token)}
    extended = set(held)
    for acronym, terms_of in _initials(question).items():
        if acronym in tokens:
            extended |= terms_of
    # Written in capitals in the question (« CPAM », « RTT »): « cet » in lower case is a determiner.
    question_tokens = {fold(token) for token in re.findall(r"\b[A-Z]{2,5}\b", question)}
    for acronym in question_tokens & set(_initials(text)):
        extended.add(_term(acronym) or acronym)
    return extended
