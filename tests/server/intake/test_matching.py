"""Structuring read text and matching it to the DPI's patients and stays (no OCR: text as read)."""

from __future__ import annotations

import json

import pytest

from server.intake.matching import match
from server.intake.structure import structure
from tools.tenant.dpi_api import PATIENTS_FILE

PATIENTS = json.loads(PATIENTS_FILE.read_text(encoding="utf-8"))["patients"]


def read(*lines: str) -> list[dict]:
    words = []
    for number, line in enumerate(lines):
        for position, word in enumerate(line.split()):
            words.append([word, 93.0, 100 + 80 * position, 100 + 40 * number, 70, 30, f"1.{number}.1"])
    return [{"words": words}]


LAB = (
    "Laboratoire BioVallée",
    "COMPTE RENDU D'ANALYSES DE BIOLOGIE MÉDICALE",
    "Patient : {name}",
    "Date de naissance : {birth} Sexe : M",
    "Prélevé le {day} à 08:15 Édité le {day}",
    "Analyse Résultat Unité Valeurs de référence",
    "Validé par Dr Muriel Gasnier, biologiste",
)


def lab(name: str, birth: str, day: str, *extra: str) -> dict:
    return structure(read(*(line.format(name=name, birth=birth, day=day) for line in LAB), *extra))


def test_a_lab_result_gives_every_field_with_a_confidence():
    fields = lab("BÉNARD Léa", "30/01/1989", "12/05/2026", "IPP : 9124035")
    assert {name: field.value for name, field in fields.items()} == {
        "type": "biologie",
        "nom": "BÉNARD",
        "prenom": "Léa",
        "date_naissance": "1989-01-30",
        "date": "2026-05-12",
        "ipp": "9124035",
        "auteur": "Laboratoire BioVallée",
        "debut_soins": "2026-05-12",
        "fin_soins": "2026-05-12",
    }
    assert all(0 < field.confidence < 1 for field in fields.values())


def test_the_two_jean_martin_are_told_apart_by_their_birth_dates():
    older = match(lab("MARTIN Jean", "12/03/1948", "01/05/2026"), PATIENTS)
    younger = match(lab("MARTIN Jean", "02/10/1971", "22/06/2026"), PATIENTS)
    assert (older.ipp, older.nda, older.exception) == ("9100000", "S26159607", None)
    assert (younger.ipp, younger.nda, younger.exception) == ("9107932", "S26346223", None)


def test_names_match_without_accents_and_under_the_birth_name():
    plain = match(lab("BENARD Lea", "30/01/1989", "01/01/2026"), PATIENTS)
    assert plain.candidates[0].nom == "BÉNARD"
    fields = structure(
        read(
            "CHRU Exemple",
            "Exempleville, le 3 juin 2026",
            "Objet : compte rendu d'hospitalisation",
            "Patient : Madame Hélène MARCHETTI, née le 05/11/1942",
        )
    )
    found = match(fields, PATIENTS)
    assert found.candidates[0].nom == "DUPRÉ"
    assert found.candidates[0].confidence >= 0.9


def test_a_name_alone_without_birth_date_or_ipp_is_never_enough():
    found = match(lab("MARTIN Jean", "11/02/1950", "01/05/2026"), PATIENTS)
    assert (found.exception, found.ipp, found.nda) == ("unknown_patient", None, None)
    assert {c.ipp for c in found.candidates} >= {"9100000", "9107932"}


def test_a_printed_ipp_that_contradicts_the_identity_is_an_exception():
    found = match(lab("BÉNARD Léa", "30/01/1989", "01/05/2026", "IPP : 9100000"), PATIENTS)
    assert found.exception is not None
    assert found.nda is None


@pytest.mark.parametrize(("day", "exception"), [("01/01/2025", "no_stay"), ("05/05/2026", None)])
def test_the_stay_is_the_one_whose_dates_cover_the_document(day: str, exception: str | None):
    found = match(lab("MARTIN Jean", "12/03/1948", day), PATIENTS)
    assert found.exception == exception
    assert found.nda == (None if exception else "S26159607")


def test_a_discharge_letter_matches_the_stay_it_names():
    fields = structure(
        read(
            "CHRU Exemple",
            "Dr Armelle Fabre",
            "Exempleville, le 14 mai 2026",
            "Objet : compte rendu d'hospitalisation",
            "Patient : Monsieur Jean MARTIN, né le 12/03/1948",
            "Hospitalisation du 28/04/2026 au 10/05/2026",
            "Bien confraternellement,",
            "Dr Armelle Fabre",
        )
    )
    assert (fields["type"].value, fields["date"].value, fields["auteur"].value) == (
        "hospitalisation",
        "2026-05-14",
        "Dr Armelle Fabre",
    )
    found = match(fields, PATIENTS)
    assert (found.ipp, found.nda, found.exception) == ("9100000", "S26159607", None)
