"""What each sample document says: French lab results and letters about the sample DPI's patients.

Every document is drawn from a seeded random generator, so that the same seed gives the same text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

DocumentType = Literal["biologie", "hospitalisation", "consultation", "imagerie", "autre"]
Style = Literal["title", "heading", "text", "small", "bold", "table", "right", "signature"]

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

DOCTORS = [
    "Dr Armelle Fabre",
    "Dr Olivier Vasseur",
    "Pr Nathalie Kergoat",
    "Dr Samir Belkacem",
    "Dr Claire-Anne Lemoine",
    "Dr Hugo Ferrand",
    "Pr Denis Aubriot",
    "Dr Sonia Ravel",
]
GPS = ["Dr Paul Mercadier", "Dr Lise Travert", "Dr Jean-Luc Orsini", "Dr Agnès Puech"]
LABS = [
    ("Laboratoire de biologie médicale du CHRU Exemple", "Dr Thierry Vauclin, biologiste"),
    ("Laboratoire BioVallée", "Dr Muriel Gasnier, biologiste"),
    ("Laboratoire Analyses Sud-Loire", "Dr Bruno Cazenave, biologiste"),
]
UNITS = {
    "CARDIO": "Cardiologie",
    "PNEUMO": "Pneumologie",
    "MED-INT": "Médecine interne",
    "GERIA": "Gériatrie",
    "CHIR-DIG": "Chirurgie digestive",
    "NEPHRO": "Néphrologie",
    "ENDOC": "Endocrinologie-diabétologie",
    "PEDIA": "Pédiatrie",
    "NEURO": "Neurologie",
}
ANALYSES = [
    ("Hémoglobine", "g/dL", 11.0, 17.5, "12,0 - 16,0"),
    ("Leucocytes", "G/L", 3.0, 14.0, "4,0 - 10,0"),
    ("Plaquettes", "G/L", 120, 480, "150 - 400"),
    ("Sodium", "mmol/L", 130, 146, "136 - 145"),
    ("Potassium", "mmol/L", 3.2, 5.6, "3,5 - 5,1"),
    ("Créatinine", "µmol/L", 45, 190, "53 - 97"),
    ("Urée", "mmol/L", 2.5, 14.0, "2,8 - 7,6"),
    ("Glycémie à jeun", "mmol/L", 3.8, 11.0, "4,1 - 5,9"),
    ("CRP", "mg/L", 0.5, 120.0, "< 5"),
    ("ASAT", "UI/L", 10, 95, "< 35"),
    ("ALAT", "UI/L", 8, 110, "< 45"),
    ("Gamma-GT", "UI/L", 9, 160, "< 55"),
    ("TSH", "mUI/L", 0.2, 6.5, "0,27 - 4,20"),
    ("HbA1c", "%", 4.8, 10.5, "4,0 - 6,0"),
    ("Ferritine", "µg/L", 12, 640, "30 - 400"),
    ("Troponine T hs", "ng/L", 3, 85, "< 14"),
    ("NT-proBNP", "pg/mL", 40, 4200, "< 125"),
    ("INR", "", 0.9, 3.4, "0,8 - 1,2"),
    ("Cholestérol total", "g/L", 1.3, 2.9, "< 2,00"),
]


@dataclass
class Line:
    """A line of a page: its text, style and (for tables) its cells."""

    text: str
    style: Style = "text"
    cells: tuple[str, ...] = ()


@dataclass
class Document:
    """One sample document: its pages of lines and what a reader should find in it."""

    id: str
    type: DocumentType
    pages: list[list[Line]]
    truth: dict[str, str | None]
    defects: dict[str, object] = field(default_factory=dict)


def french_date(day: date) -> str:
    """`12 mai 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """`12/05/2026`."""
    return day.strftime("%d/%m/%Y")


def _value(rng: random.Random, low: float, high: float) -> str:
    number = rng.uniform(low, high)
    if high >= 100:
        return str(round(number))
    return f"{number:.1f}".replace(".", ",") if high >= 10 else f"{number:.2f}".replace(".", ",")


def _civility(patient: dict[str, str]) -> str:
    return "Monsieur" if patient["sexe"] == "M" else "Madame"


def _born(patient: dict[str, str]) -> str:
    return "né le" if patient["sexe"] == "M" else "née le"


def _full_name(patient: dict[str, str], rng: random.Random) -> str:
    """The patient's name as letters print it: `Jean MARTIN`, `MARTIN Jean`, `Hélène DUPRÉ épouse …`."""
    name, first = patient["nom"], patient["prenom"]
    if patient.get("nom_naissance") and rng.random() < 0.5:
        return f"{first} {name} née {patient['nom_naissance']}"
    return f"{name} {first}" if rng.random() < 0.5 else f"{first} {name}"


def biology(
    doc_id: str, patient: dict[str, str], stay: dict[str, str] | None, day: date, rng: random.Random
) -> Document:
    """A biology result: lab header, patient block, a table of values, the biologist."""
    lab, biologist = LABS[rng.randrange(len(LABS))]
    birth = date.fromisoformat(patient["date_naissance"])
    printed_ipp = patient["ipp"] if (lab.endswith("CHRU Exemple") or rng.random() < 0.4) else None
    sampled = day
    edited = day + timedelta(days=rng.choice([0, 0, 1]))
    rows = rng.sample(ANALYSES, rng.randrange(6, 13))
    lines = [
        Line(lab, "title"),
        Line("Biologie médicale — 4 rue des Analyses, 44000 Exempleville — Tél. 02 00 00 00 00", "small"),
        Line("COMPTE RENDU D'ANALYSES DE BIOLOGIE MÉDICALE", "heading"),
        Line(f"Patient : {patient['nom']} {patient['prenom']}", "bold"),
        Line(f"Date de naissance : {short_date(birth)}    Sexe : {patient['sexe']}"),
    ]
    if printed_ipp:
        nda = f"    N° de séjour : {stay['nda']}" if stay and rng.random() < 0.5 else ""
        lines.append(Line(f"IPP : {printed_ipp}{nda}"))
    lines += [
        Line(f"Prescripteur : {rng.choice(DOCTORS)}"),
        Line(
            f"Prélevé le {short_date(sampled)} à {rng.randrange(7, 12):02d}:{rng.randrange(60):02d}"
            f"    Édité le {short_date(edited)}"
        ),
        Line("", "text"),
        Line("", "table", ("Analyse", "Résultat", "Unité", "Valeurs de référence")),
    ]
    lines += [
        Line("", "table", (name, _value(rng, low, high), unit, ref)) for name, unit, low, high, ref in rows
    ]
    lines += [Line(""), Line(f"Validé par {biologist}", "signature")]
    truth = _truth("biologie", patient, printed_ipp, sampled, lab)
    return Document(doc_id, "biologie", [lines], truth)


def _letter_head(unit: str, author: str, day: date) -> list[Line]:
    return [
        Line("CHRU Exemple", "title"),
        Line(f"Service de {UNITS[unit]} — 1 place de l'Hôpital, 44000 Exempleville", "small"),
        Line(f"{author}", "text"),
        Line(f"Exempleville, le {french_date(day)}", "right"),
    ]


def hospital_letter(
    doc_id: str, patient: dict[str, str], stay: dict[str, str], day: date, rng: random.Random
) -> Document:
    """A hospitalisation report (lettre de sortie), sometimes on two pages."""
    author = rng.choice(DOCTORS)
    start, end = date.fromisoformat(stay["start"]), date.fromisoformat(stay["end"])
    birth = date.fromisoformat(patient["date_naissance"])
    printed_ipp = patient["ipp"] if rng.random() < 0.5 else None
    lines = _letter_head(stay["unit"], author, day)
    lines += [
        Line(f"À l'attention du {rng.choice(GPS)}, médecin traitant"),
        Line("Objet : compte rendu d'hospitalisation", "bold"),
        Line(
            f"Patient : {_civility(patient)} {_full_name(patient, rng)}, {_born(patient)} {short_date(birth)}"
        ),
    ]
    if printed_ipp:
        lines.append(Line(f"IPP : {printed_ipp}"))
    lines += [
        Line(f"Hospitalisation du {short_date(start)} au {short_date(end)}"),
        Line(""),
        Line("Cher confrère,"),
        Line(
            f"J'ai pris en charge votre patient{'e' if patient['sexe'] == 'F' else ''} dans notre service "
            "pour une décompensation de son état général."
        ),
    ]
    body = [
        "Antécédents : hypertension artérielle traitée, dyslipidémie, appendicectomie dans l'enfance.",
        "Histoire de la maladie : apparition progressive d'une dyspnée d'effort depuis trois semaines.",
        "Examen clinique à l'entrée : patient conscient, orienté, tension artérielle 145/85 mmHg.",
        "Examens complémentaires : bilan biologique sans anomalie majeure, radiographie thoracique normale.",
        "Évolution : favorable sous traitement, retour à domicile dans de bonnes conditions.",
        "Traitement de sortie : ramipril 5 mg le matin, atorvastatine 20 mg le soir, paracétamol si besoin.",
        "Suivi : consultation de contrôle dans trois mois, bilan biologique à quinze jours.",
    ]
    lines += [Line(text) for text in body]
    pages = [lines]
    if rng.random() < 0.4:  # a second page, as long letters have
        pages = [lines, [Line("Suite du compte rendu", "heading")] + [Line(text) for text in body[3:]]]
    pages[-1] += [Line(""), Line("Bien confraternellement,"), Line(author, "signature")]
    truth = _truth("hospitalisation", patient, printed_ipp, day, author)
    return Document(doc_id, "hospitalisation", pages, truth)


def consultation_letter(
    doc_id: str, patient: dict[str, str], stay: dict[str, str], day: date, rng: random.Random
) -> Document:
    """A consultation report to the GP."""
    author = rng.choice(DOCTORS)
    seen = date.fromisoformat(stay["start"])
    birth = date.fromisoformat(patient["date_naissance"])
    printed_ipp = patient["ipp"] if rng.random() < 0.4 else None
    lines = _letter_head(stay["unit"], author, day)
    lines += [
        Line(f"À l'attention du {rng.choice(GPS)}"),
        Line("Compte rendu de consultation", "heading"),
        Line(
            f"J'ai vu en consultation le {short_date(seen)} {_civility(patient)} {_full_name(patient, rng)}, "
            f"{_born(patient)} {short_date(birth)}."
        ),
    ]
    if printed_ipp:
        lines.append(Line(f"IPP : {printed_ipp}"))
    lines += [
        Line("Motif : suivi d'une affection chronique, adaptation thérapeutique."),
        Line("L'examen clinique est sans particularité, le poids est stable."),
        Line("Je propose de poursuivre le traitement actuel et de revoir le patient dans six mois."),
        Line(""),
        Line("Bien cordialement,"),
        Line(author, "signature"),
    ]
    truth = _truth("consultation", patient, printed_ipp, day, author)
    return Document(doc_id, "consultation", [lines], truth)


def imaging_report(
    doc_id: str, patient: dict[str, str], stay: dict[str, str] | None, day: date, rng: random.Random
) -> Document:
    """A radiology report from an outside imaging centre."""
    author = rng.choice(["Dr Fabien Lacombe, radiologue", "Dr Estelle Morvan, radiologue"])
    birth = date.fromisoformat(patient["date_naissance"])
    lines = [
        Line("Centre d'imagerie médicale des Remparts", "title"),
        Line("12 boulevard des Remparts, 44000 Exempleville", "small"),
        Line("COMPTE RENDU D'IMAGERIE", "heading"),
        Line(f"Patient : {patient['nom']} {patient['prenom']}    Né(e) le : {short_date(birth)}", "bold"),
        Line(f"Examen du {short_date(day)} : scanner thoraco-abdomino-pelvien avec injection"),
        Line("Indication : bilan d'une altération de l'état général."),
        Line("Résultat : pas d'épanchement, pas d'adénopathie, foie de taille normale."),
        Line("Conclusion : examen sans anomalie significative."),
        Line(""),
        Line(author, "signature"),
    ]
    truth = _truth("imagerie", patient, None, day, author.split(",")[0])
    return Document(doc_id, "imagerie", [lines], truth)


def _truth(
    kind: str, patient: dict[str, str], ipp: str | None, day: date, author: str
) -> dict[str, str | None]:
    return {
        "type": kind,
        "nom": patient["nom"],
        "prenom": patient["prenom"],
        "date_naissance": patient["date_naissance"],
        "ipp": ipp or None,
        "date": day.isoformat(),
        "auteur": author,
    }
