"""Robot inputs read from a French request: kept exactly as typed, accents included."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from agents.robots.inputs import read_inputs, tenant_domain

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def _schema(robot_id: str) -> dict:
    catalogue = yaml.safe_load(Path("tools/robots/catalogue.yaml").read_text(encoding="utf-8"))
    robots = catalogue["robots"] if isinstance(catalogue, dict) else catalogue
    return next(robot["input_schema"] for robot in robots if robot["id"] == robot_id)


def test_an_access_request_in_plain_french_keeps_the_profile_as_typed():
    message = "Peux-tu demander un accès DxCare pour Inès Moreau avec le profil Secrétaire médicale ?"

    inputs = read_inputs(_schema("creation-acces-applicatif"), message, NOW, "chru-exemple.fr")

    assert inputs == {
        "beneficiaire": "ines.moreau@chru-exemple.fr",
        "application": "DxCare",
        "profil": "Secrétaire médicale",
    }


def test_an_address_wins_over_a_name_and_the_reason_is_kept_whole():
    message = (
        "Lance le robot de création des accès applicatifs pour claire.dubois, application Pastel, "
        "profil d'infirmière référente ; motif : arrivée le 1er décembre à l'unité Œnologie"
    )

    inputs = read_inputs(_schema("creation-acces-applicatif"), message, NOW, "chru-exemple.fr")

    assert inputs == {
        "beneficiaire": "claire.dubois@chru-exemple.fr",
        "application": "Pastel",
        "profil": "infirmière référente",
        "motif": "arrivée le 1er décembre à l'unité Œnologie",
    }


def test_a_bare_name_completes_with_the_callers_own_domain():
    message = "Peux-tu demander un accès DxCare pour Inès Moreau avec le profil Secrétaire médicale ?"
    domain = tenant_domain("Responsable.Service@CH-Autre-Exemple.fr")

    inputs = read_inputs(_schema("creation-acces-applicatif"), message, NOW, domain)

    assert inputs["beneficiaire"] == "ines.moreau@ch-autre-exemple.fr"
