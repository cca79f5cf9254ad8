"""The router reads the workflows' own cards: no reference scenario, no demo robot catalogue in its words."""

from pathlib import Path

import yaml

from agents.cards import CARDS
from agents.folding import fold
from agents.routing import ROUTABLE, router_prompt

CATALOGUE = Path(__file__).resolve().parents[2] / "tools" / "robots" / "catalogue.yaml"
SCENARIO_WORDS = ("dtnib", "helene", "marchal", "assemblee generale")


def test_the_router_prompt_and_examples_quote_no_scenario_and_no_robot_of_the_catalogue():
    robots = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    names = [fold(robot["name"]) for robot in robots.get("robots", robots) if isinstance(robot, dict)]
    words = fold(router_prompt(ROUTABLE) + " ".join(e for card in CARDS for e in card.examples))

    assert names, "the demo catalogue names robots"
    assert not [name for name in names if name in words]
    assert not [word for word in SCENARIO_WORDS if word in words]
    for card in CARDS:  # the prompt is made of the cards' descriptions, nothing else
        if card.workflow in ROUTABLE:
            assert f"- {card.workflow.value} : {card.description}" in router_prompt(ROUTABLE)
