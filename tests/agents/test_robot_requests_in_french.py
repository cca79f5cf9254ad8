"""Robot requests asked in plain French, without the word « robot »: routed to the robot request
workflow, the right robot of the catalogue picked (or a question when two fit as well), and questions
about a procedure left to the documents. Dev tuned the recogniser; test was written before it."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from agents.cards import claimed
from agents.folding import fold
from agents.robots.graph import _score
from agents.routing import ROUTABLE
from agents.workflows import Workflow

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = yaml.safe_load((ROOT / "tools" / "robots" / "catalogue.yaml").read_text(encoding="utf-8"))[
    "robots"
]
DATA = yaml.safe_load((Path(__file__).parent / "data" / "robot_requests.yaml").read_text(encoding="utf-8"))


def _best(message: str) -> list[str]:
    """The robots with the best score for a message (several: the workflow asks which one)."""
    scored = [(_score(robot, fold(message)), robot["id"]) for robot in CATALOGUE]
    top = max(score for score, _ in scored)
    return [robot_id for score, robot_id in scored if score == top and top > 0]


def _case_id(item: dict[str, Any]) -> str:
    return str(item["message"])[:40]


@pytest.mark.parametrize("item", DATA["dev"], ids=_case_id)
def test_a_dev_request_is_routed_and_its_robot_picked(item: dict[str, Any]) -> None:
    routed = claimed(item["message"], ROUTABLE) == Workflow.ROBOT_REQUEST

    assert routed == (item["robot"] is not None)
    if item["robot"]:
        assert _best(item["message"]) == [item["robot"]]


@pytest.mark.parametrize("item", DATA["test"], ids=_case_id)
def test_a_held_out_request_is_routed_and_never_given_a_wrong_robot(item: dict[str, Any]) -> None:
    routed = claimed(item["message"], ROUTABLE) == Workflow.ROBOT_REQUEST

    assert routed == (item["robot"] is not None)
    if item["robot"]:  # the right robot, or a question naming it among those that fit as well
        assert item["robot"] in _best(item["message"])


@pytest.mark.anyio
async def test_an_access_asked_in_plain_french_waits_for_approval_with_the_inputs_as_typed(ask: Any) -> None:
    events, run = await ask(
        "claire.dubois",
        "Peux-tu demander un accès DxCare pour Inès Moreau avec le profil secrétaire médicale ?",
    )

    approval = next(event["data"] for event in events if event["event"] == "approval_required")
    assert run["workflow"] == "robot_request"
    assert (approval["robot_id"], approval["inputs"]) == (
        "creation-acces-applicatif",
        {
            "beneficiaire": "ines.moreau@chru-exemple.fr",
            "application": "DxCare",
            "profil": "secrétaire médicale",
        },
    )


@pytest.mark.anyio
async def test_two_robots_that_fit_as_well_make_a_question_not_a_launch_request(ask: Any) -> None:
    events, run = await ask(
        "claire.dubois", "Merci de créer les droits GAM pour paul.henry, profil gestionnaire"
    )

    assert not [event for event in events if event["event"] == "approval_required"]
    assert run["answer"].startswith("Votre demande peut concerner plusieurs robots ; précisez lequel :")
    assert "`creation-acces-applicatif`" in run["answer"]
