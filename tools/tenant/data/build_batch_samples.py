"""Builds the batch letters' sample files: a consultation export (XLSX and CSV) and the letterhead.

Everything is fictional: patients are drawn from lists of common first names and surnames with a fixed
seed, so the files are the same at every build. Run from the repository root:

    .venv/bin/python tools/tenant/data/build_batch_samples.py

It writes `documents/export-consultations-2026-11.xlsx`, `documents/export-consultations-2026-11.csv`,
`documents/papier-en-tete-chru-exemple.docx`, and copies the letterhead to
`server/batches/letterhead.docx` (the product's default letterhead).
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from openpyxl import Workbook

HERE = Path(__file__).parent
ROWS = 240
SEED = 2026_11

_FIRST = {
    "Madame": ["Martine", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Monique", "Françoise", "Sandrine",
               "Véronique", "Christine", "Aurélie", "Céline", "Émilie", "Julie", "Camille", "Léa", "Manon",
               "Chantal", "Josiane", "Odile", "Brigitte", "Agnès", "Pascale", "Yvette"],
    "Monsieur": ["Jean", "Michel", "Philippe", "Alain", "Patrick", "Bernard", "Christophe", "Laurent",
                 "Frédéric", "Stéphane", "Olivier", "Nicolas", "Julien", "Thierry", "Gérard", "Daniel",
                 "Hervé", "Didier", "René", "Marcel", "Lucas", "Hugo", "Mathis", "Yannick"],
}  # fmt: skip
_LAST = ["Arnaud", "Barbier", "Bertin", "Blanchard", "Bonnet", "Boyer", "Brunet", "Carpentier", "Charpentier",
         "Chevalier", "Colin", "Collet", "Cordier", "Da Silva", "Delmas", "Deschamps", "Dumont", "Dupuis",
         "Durand", "Fabre", "Faure", "Fleury", "Fournier", "Gaillard", "Garnier", "Gauthier", "Gilbert",
         "Guerin", "Guillot", "Hamel", "Hoarau", "Huet", "Jacquet", "Joly", "Klein", "Lacroix", "Lambert",
         "Laurent", "Leclerc", "Lecomte", "Lemaire", "Lemoine", "Leroux", "Lucas", "Maillard", "Marchand",
         "Masson", "Mathieu", "Mercier", "Meunier", "Morel", "Moulin", "Noël", "Olivier", "Paris", "Perrot",
         "Picard", "Poirier", "Renard", "Riviere", "Robin", "Rolland", "Roussel", "Royer", "Schmitt",
         "Tessier", "Vasseur", "Vidal", "Weber"]  # fmt: skip
_CONSULTATIONS = [
    ("Cardiologie", "Dr Aubry", "insuffisance cardiaque chronique",
     "Apporter le dernier bilan sanguin et la liste des traitements en cours."),
    ("Cardiologie", "Dr Aubry", "hypertension artérielle",
     "Venir avec le relevé d'automesure tensionnelle des sept derniers jours."),
    ("Diabétologie", "Dr Sorel", "diabète de type 2",
     "Être à jeun depuis la veille au soir pour le dosage de l'HbA1c."),
    ("Diabétologie", "Dr Sorel", "diabète de type 1",
     "Apporter le carnet de glycémie et le lecteur de glucose."),
    ("Pneumologie", "Dr Vernet", "bronchopneumopathie chronique obstructive",
     "Ne pas utiliser de bronchodilatateur dans les six heures précédant l'exploration fonctionnelle."),
    ("Pneumologie", "Dr Vernet", "apnée du sommeil",
     "Rapporter l'appareil de pression positive continue et sa carte mémoire."),
    ("Neurologie", "Dr Kessler", "épilepsie",
     "Venir accompagné ; ne pas conduire pour venir à la consultation."),
    ("Neurologie", "Dr Kessler", "maladie de Parkinson",
     "Prendre le traitement habituel le matin du rendez-vous."),
    ("Rhumatologie", "Dr Ferrand", "polyarthrite rhumatoïde",
     "Apporter les radiographies des mains et des pieds de moins d'un an."),
    ("Gastro-entérologie", "Dr Lefort", "maladie de Crohn",
     "Apporter les résultats de la dernière coloscopie."),
    ("Néphrologie", "Dr Rocher", "insuffisance rénale chronique",
     "Faire le bilan sanguin prescrit 48 heures avant la consultation."),
    ("Oncologie", "Dr Malet", "cancer du sein en surveillance",
     "Apporter la mammographie et l'échographie réalisées depuis la dernière consultation."),
    ("Dermatologie", "Dr Carrel", "psoriasis",
     "Ne pas appliquer de crème sur les lésions le jour du rendez-vous."),
    ("Ophtalmologie", "Dr Besson", "glaucome",
     "Ne pas conduire après la consultation : les pupilles seront dilatées."),
    ("Chirurgie orthopédique", "Dr Gasnier", "arthrose du genou",
     "Apporter l'IRM du genou et prévoir une tenue permettant l'examen."),
    ("Endocrinologie", "Dr Perrin-Sauvage", "hypothyroïdie",
     "Faire le dosage de la TSH dans la semaine précédant le rendez-vous."),
]  # fmt: skip
HEADER = ["IPP", "Civilité", "Nom", "Prénom", "Âge", "Service", "Médecin", "Pathologie",
          "Date du rendez-vous", "Heure", "Consigne"]  # fmt: skip


def rows() -> list[list[str]]:
    """The export's rows (fixed seed)."""
    chance = random.Random(SEED)
    first_day = date(2026, 12, 7)
    table = []
    for index in range(ROWS):
        civility = chance.choice(["Madame", "Monsieur"])
        service, doctor, pathology, instruction = chance.choice(_CONSULTATIONS)
        day = first_day + timedelta(days=chance.randrange(0, 40))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        hour = f"{chance.choice([8, 9, 10, 11, 14, 15, 16])}h{chance.choice(['00', '15', '30', '45'])}"
        table.append([
            f"{800_100 + index * 37:08d}", civility, chance.choice(_LAST).upper(),
            chance.choice(_FIRST[civility]), str(chance.randrange(19, 92)), service, doctor, pathology,
            day.strftime("%d/%m/%Y"), hour, instruction,
        ])  # fmt: skip
    return table


def build_export() -> None:
    """The consultations export, as the report tool gives it (XLSX) and as a CSV (`;`, UTF-8)."""
    table = rows()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Export"
    sheet.append(HEADER)
    for line in table:
        sheet.append(line)
    workbook.properties.creator = "Secrétariat médical — CHRU Exemple"
    path = HERE / "documents" / "export-consultations-2026-11.xlsx"
    workbook.save(path)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(table)
    (HERE / "documents" / "export-consultations-2026-11.csv").write_text(out.getvalue(), encoding="utf-8")


def build_letterhead() -> Path:
    """The CHRU Exemple letterhead: name and address in the header, contacts in the footer."""
    document = Document()
    section = document.sections[0]
    header = section.header.paragraphs[0]
    run = header.add_run("CHRU Exemple")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(16), RGBColor(0x1F, 0x4E, 0x79)
    header.add_run("\nCentre hospitalier régional universitaire\n1 place de l'Hôpital — 59000 Exemple-Ville")
    header.add_run("\nSecrétariat médical — Pôle médecine").italic = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(
        "CHRU Exemple — standard 03 20 00 00 00 — secretariat.medical@chru-exemple.fr — "
        "www.chru-exemple.fr\nDocument confidentiel : il contient des données de santé."
    ).font.size = Pt(8)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Calibri", Pt(11)
    document.core_properties.author = "CHRU Exemple"
    document.core_properties.title = "Papier à en-tête — CHRU Exemple"
    path = HERE / "documents" / "papier-en-tete-chru-exemple.docx"
    document.save(str(path))
    return path


if __name__ == "__main__":
    build_export()
    letterhead = build_letterhead()
    shutil.copyfile(letterhead, HERE.parents[2] / "server" / "batches" / "letterhead.docx")
