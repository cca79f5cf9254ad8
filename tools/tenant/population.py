"""The hospital's wider staff: fictional people generated deterministically, beside the named users.

The named users of `data/directory.json` are Ariane's personas; a hospital's directory also holds
its clinicians, nurses, pharmacists and managers, who never sign in to the demo but whose service and
job category the shadow-AI report needs (their proxy traffic is in the sample log). They are made
from lists of common French given names and surnames, paired by a seeded generator, so that the same
people come back on every machine; they belong to no Ariane group (the sign-in page does not offer
them).
"""

from __future__ import annotations

import random
import unicodedata
import uuid

from tools.tenant.directory import User

SEED = 20261102
_NAMESPACE = uuid.UUID("6f1c3c2a-6d1e-4a0a-9b8e-2a4e5e0c1d23")
DOMAIN = "chru-exemple.fr"

# (department, job category, job title, head count)
STAFF: tuple[tuple[str, str, str, int], ...] = (
    ("Pôle médecine", "Internes en médecine", "Interne en médecine", 40),
    ("Pôle médecine", "Médecins", "Praticien hospitalier", 30),
    ("Pôle médecine", "Infirmiers", "Infirmier", 40),
    ("Pôle médecine", "Cadres de santé", "Cadre de santé", 5),
    ("Pôle médecine", "Secrétariat médical", "Secrétaire médicale", 12),
    ("Pôle chirurgie", "Internes en médecine", "Interne en chirurgie", 30),
    ("Pôle chirurgie", "Médecins", "Chirurgien", 25),
    ("Pôle chirurgie", "Infirmiers", "Infirmier de bloc", 35),
    ("Pôle chirurgie", "Cadres de santé", "Cadre de santé", 4),
    ("Pôle chirurgie", "Secrétariat médical", "Secrétaire médicale", 10),
    ("Pôle femme-enfant", "Internes en médecine", "Interne en pédiatrie", 20),
    ("Pôle femme-enfant", "Médecins", "Pédiatre", 15),
    ("Pôle femme-enfant", "Infirmiers", "Puéricultrice", 25),
    ("Pôle femme-enfant", "Cadres de santé", "Cadre de santé", 3),
    ("Pôle femme-enfant", "Secrétariat médical", "Secrétaire médicale", 6),
    ("Urgences", "Internes en médecine", "Interne aux urgences", 20),
    ("Urgences", "Médecins", "Urgentiste", 15),
    ("Urgences", "Infirmiers", "Infirmier", 25),
    ("Urgences", "Cadres de santé", "Cadre de santé", 2),
    ("Urgences", "Secrétariat médical", "Secrétaire médicale", 4),
    ("Pharmacie", "Internes en pharmacie", "Interne en pharmacie", 15),
    ("Pharmacie", "Pharmaciens", "Pharmacien", 10),
    ("Pharmacie", "Préparateurs en pharmacie", "Préparateur en pharmacie", 10),
    ("Biologie", "Médecins", "Biologiste", 8),
    ("Biologie", "Techniciens de laboratoire", "Technicien de laboratoire", 20),
    ("DRH", "Gestionnaires RH", "Gestionnaire RH", 20),
    ("Direction des finances", "Gestionnaires facturation", "Gestionnaire facturation", 20),
    ("DTNIB", "Ingénieurs et techniciens", "Technicien informatique", 25),
)

_GIVEN = (
    "Adèle Agathe Alice Amandine Anaïs Anouk Apolline Aurélie Bastien Baptiste Benoît Bérénice Camille "
    "Capucine Cécile Céline Charlotte Chloé Clément Colette Coralie Corentin Damien Delphine Denis "
    "Éléonore Élodie Émilie Estelle Étienne Fabien Fanny Florian Gaëlle Gaspard Géraldine Grégoire "
    "Guillaume Hugo Isabelle Jeanne Joëlle Jordan Juliette Laure Léa Léon Lucas Lucie Maëlle Manon "
    "Margaux Marine Mathilde Maxime Mélanie Nathan Noémie Océane Olivier Pauline Quentin Raphaël "
    "Romain Sabine Salomé Simon Solène Sylvain Tristan Valentin Vincent Yann Zoé"
).split()
_SURNAMES = (
    (
        "Aubert Barbier Baron Benard Berger Bertin Besson Blanc Boucher Bouvier Brunet Carpentier Caron "
        "Chevalier Clément Collin Colin Cordier Courtois Da Costa Daniel Deschamps Dumas Dupuis Durand "
        "Fabre Faure Fleury Fontaine Fournier Gaillard Garnier Gauthier Gérard Giraud Guérin Guillot "
        "Hamon Hoarau Huet Jacquet Joly Julien Klein Lacroix Lambert Laurent Leblanc Lebrun Leclerc "
        "Lecomte Lemaire Leroux Lucas Maillard Marie Martel Masson Meunier Michaud Morel Moulin Noël "
        "Perret Picard Poirier Prévost Renard Renaud Rey Rivière Robin Roche Rolland Rousseau Roussel "
        "Royer Schmitt Tessier Vasseur Vidal Weber"
    )
    .replace("Da Costa", "Dacosta")
    .split()
)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if c.isalnum() and not unicodedata.combining(c)).lower()


def account_name(given_name: str, surname: str) -> str:
    """The Windows account name (`sAMAccountName`) the hospital gives a person: initial + surname."""
    return (_ascii(given_name)[:1] + _ascii(surname))[:20]


def generate_population(taken: set[str]) -> list[User]:
    """The generated staff, never reusing an account name in `taken` (the named users')."""
    rng = random.Random(SEED)
    accounts = set(taken)
    people: list[User] = []
    for department, category, title, count in STAFF:
        for _ in range(count):
            while True:
                given, surname = rng.choice(_GIVEN), rng.choice(_SURNAMES)
                account = account_name(given, surname)
                if account not in accounts:
                    break
            accounts.add(account)
            mail = f"{_ascii(given)}.{_ascii(surname)}@{DOMAIN}"
            people.append(
                User(
                    id=str(uuid.uuid5(_NAMESPACE, mail)),
                    mail=mail,
                    given_name=given,
                    surname=surname,
                    display_name=f"{given} {surname}",
                    job_title=title,
                    department=department,
                    job_category=category,
                    office_location="CHRU Exemple",
                )
            )
    return people
