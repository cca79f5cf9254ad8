"""The adversarial probe of the health-data detectors keeps its figures; what was fixed stays fixed.

The probe (`health_corpus/probe_dev.yaml`, `probe_test.yaml`, fictional people) was written before
the detectors' code was read: NIRs with letters for digits, digits of other scripts, invisible
characters, cut across lines and messages, in tables and tool results; dates of birth in words;
people designated by their job, in English, misspelt diseases, medicines. The detectors were fixed
on the dev split only; the test split is measured. Each request is read as the gateway reads it
(`request_content`: every message and field), so a sample may be a whole `/v1` body. The floors are
a little under the figures reached (README, « Security »), not a list of expected answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from server.gateway.classification import Finding, classify
from server.gateway.detection.people import NameBook
from server.gateway.policy import DataClass
from server.gateway.schemas import request_content
from tools.tenant.directory import load_directory

CORPUS = Path(__file__).with_name("health_corpus")


@dataclass(frozen=True)
class Figures:
    """How the detectors did on one split."""

    recall: float  # health samples classified health
    kept: float  # ordinary samples left below health (1 - false positive rate)
    personal: float  # a date of birth by a name, classified personal or health


def _classified(sample: dict[str, Any], book: NameBook) -> DataClass:
    if "body" in sample:
        texts, unreadable = request_content(sample["body"])
    else:
        texts, unreadable = sample.get("messages") or [sample["text"]], False
    return classify(texts, DataClass.INTERNAL, names=book, unreadable=unreadable).data_class


def _figures(split: str) -> Figures:
    book = NameBook.of(user.display_name for user in load_directory().users)
    samples = yaml.safe_load((CORPUS / f"probe_{split}.yaml").read_text(encoding="utf-8"))
    health, ordinary, personal = [], [], []
    for sample in samples:
        found = _classified(sample, book)
        if sample.get("personal"):
            personal.append(found in (DataClass.PERSONAL, DataClass.HEALTH))
        elif sample["health"]:
            health.append(found is DataClass.HEALTH)
        else:
            ordinary.append(found is not DataClass.HEALTH)
    return Figures(*(sum(kind) / len(kind) for kind in (health, ordinary, personal)))


def test_the_probe_has_over_60_health_and_40_ordinary_samples_in_its_two_splits() -> None:
    samples = [
        sample
        for split in ("dev", "test")
        for sample in yaml.safe_load((CORPUS / f"probe_{split}.yaml").read_text(encoding="utf-8"))
    ]
    assert sum(bool(sample["health"]) for sample in samples) >= 60
    assert sum(not sample["health"] and not sample.get("personal") for sample in samples) >= 40


@pytest.mark.parametrize(
    ("split", "floor"),
    [
        ("dev", Figures(recall=0.95, kept=0.95, personal=1.0)),
        ("test", Figures(recall=0.85, kept=0.9, personal=1.0)),
    ],
)
def test_the_probe_stays_above_its_floors(split: str, floor: Figures) -> None:
    figures = _figures(split)
    assert figures.recall >= floor.recall, figures
    assert figures.kept >= floor.kept, figures
    assert figures.personal >= floor.personal, figures


@pytest.mark.parametrize(
    "text",
    [
        # Letters for digits in a number that is mostly digits, and a column's header naming a cell.
        "numéro : 2 9O O9 75 112 233 O7",
        "nom;ipp;lit\nMARTIN;00452187;12",
        # A job singled out, then a state of health; an English possessive; a drug by its ending.
        "L'ASH de nuit est sous chimiothérapie depuis mars.",
        "Our receptionist's husband? No: my colleague has epilepsy.",
        "M. Perret est sous apixaban depuis son opération.",
        # A misspelling dropping a silent h or a double letter.
        "Mme Roux a une émorragie digestive.",
    ],
)
def test_what_the_probe_found_missing_is_read_now(text: str) -> None:
    assert classify([text], DataClass.INTERNAL).data_class is DataClass.HEALTH


def test_a_date_of_birth_in_words_next_to_a_name_is_personal_data() -> None:
    found = classify(
        ["M. Caron, né le trois mai mil neuf cent quatre-vingt-deux, change de RIB."], DataClass.INTERNAL
    )
    assert Finding.BIRTH_DATE_WITH_NAME in found.findings


@pytest.mark.parametrize(
    "text",
    [
        # A job at work, however close to health words.
        "Le médecin du travail est informé de l'arrêt maladie par l'agent.",
        "Le cadre de santé est responsable du circuit des antibiotiques.",
        "L'infirmière de coordination est chargée du suivi des escarres dans le service.",
        "La secrétaire du pôle présente la campagne de vaccination.",
        "L'interne de garde est joignable au 4512.",
        # Words that start like a misspelt stem, a drug's ending, a letter beside a number.
        "Commande de trombones, d'agrafes et de stylos pour le secrétariat.",
        "La platine du microscope est cassée.",
        "Il a 12 ans de maison ; salle l 12, poste O 4512.",
        "My team organises the diabetes awareness day.",
        # A table whose header names nothing about health, a date in words without a birth.
        "date,salle,participants\n2026-03-12,B12,14",
        "Le bâtiment a été inauguré le douze mars mil neuf cent soixante.",
    ],
)
def test_ordinary_texts_next_to_the_new_rules_stay_ordinary(text: str) -> None:
    assert classify([text], DataClass.INTERNAL).data_class is not DataClass.HEALTH
