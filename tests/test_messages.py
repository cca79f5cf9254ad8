"""Every fixed text of the server and the agents is in French and English, filling in the same names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agents.messages import MESSAGES as AGENT_MESSAGES
from agents.workflows import Workflow
from server.assistants.catalog import WORKFLOWS
from server.assistants.schemas import DATA_CLASSES
from server.cli.texts import CLI_TEXTS
from server.confirmations.service import _DONE
from server.gateway.policy_issues import _BY_TYPE, _YAML_PROBLEMS
from server.messages import MESSAGES as SERVER_MESSAGES
from tools.i18n import Catalogue, Text
from tools.robots.server import _TEXTS as ROBOT_TOOL_TEXTS


@pytest.mark.parametrize(
    "catalogue",
    [SERVER_MESSAGES, AGENT_MESSAGES, ROBOT_TOOL_TEXTS, CLI_TEXTS],
    ids=["server", "agents", "robots_tool", "cli"],
)
def test_every_french_text_has_its_english_one(catalogue: Catalogue) -> None:
    assert catalogue.entries, "an empty catalogue proves nothing"
    assert catalogue.problems() == []


def test_a_text_missing_its_english_or_a_name_is_found() -> None:
    broken = Catalogue(
        {
            "ok": {"fr": "Bonjour {name}", "en": "Hello {name}"},
            "no_english": {"fr": "Bonjour", "en": ""},
            "other_name": {"fr": "Bonjour {name}", "en": "Hello {who}"},
            "only_french": {"fr": "Bonjour"},
            "lone_brace": {"fr": "« } » attendu", "en": "« } » expected"},
        }
    )
    assert broken.problems() == ["no_english", "other_name", "only_french", "lone_brace"]


def test_a_text_renders_in_either_language_with_nested_texts() -> None:
    catalogue = Catalogue(
        {
            "outer": {"fr": "Refusé : {reason}", "en": "Refused: {reason}"},
            "inner": {"fr": "pas de modèle", "en": "no model"},
        }
    )
    text = catalogue("outer", reason=catalogue("inner"))
    assert isinstance(text, Text)
    assert (str(text), text.render("en")) == ("Refusé : pas de modèle", "Refused: no model")


ROOT = Path(__file__).resolve().parents[1]
# A text asked for by a literal id: `MESSAGES("id")`, `MESSAGES.text("id", …)`, `say("id")`, `_say("id")`.
_CALL = re.compile(r"""\b(?:MESSAGES(?:\.text)?|_?say)\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def test_every_id_the_code_asks_for_is_in_its_catalogue() -> None:
    known = set(SERVER_MESSAGES.entries) | set(AGENT_MESSAGES.entries) | set(CLI_TEXTS.entries)
    asked = {
        (str(path.relative_to(ROOT)), key)
        for package in ("server", "agents")
        for path in (ROOT / package).rglob("*.py")
        for key in _CALL.findall(path.read_text(encoding="utf-8"))
    }
    assert len(asked) > 50  # the pattern finds the calls
    # Ids kept in tables and passed on (pydantic error types, confirmation states, field names).
    tables = {*_BY_TYPE.values(), *_YAML_PROBLEMS.values(), *_DONE.values()}
    tables |= {f"assistants.workflow.{name}" for name in WORKFLOWS}
    tables |= {f"assistants.data_class.{name}" for name in DATA_CLASSES}
    tables |= {f"workflow.{workflow.value}" for workflow in Workflow}
    tables |= {f"data_class.{name}" for name in DATA_CLASSES}
    assert sorted(key for _, key in asked if key not in known) == []
    assert sorted(tables - known) == []


def test_a_stored_text_is_read_again_in_either_language_and_an_unknown_one_as_its_sentence() -> None:
    catalogue = Catalogue(
        {
            "outer": {"fr": "Refusé : {reasons}", "en": "Refused: {reasons}"},
            "inner": {"fr": "pas de modèle.", "en": "no model."},
        }
    )
    text = catalogue("outer", reasons=[catalogue("inner"), "« x » : format."])
    stored = json.loads(json.dumps(text.stored()))  # as a JSON column gives it back
    newer = {"id": "from_a_newer_release", "params": {}}

    assert str(text) == "Refusé : pas de modèle. « x » : format."
    assert catalogue.shown(str(text), stored, "en") == "Refused: no model. « x » : format."
    assert catalogue.shown("Phrase stockée.", newer, "en") == "Phrase stockée."
    assert catalogue.shown("Phrase stockée.", None, "en") == "Phrase stockée."
    assert catalogue.recognise("pas de modèle.", ("outer", "inner")) == catalogue("inner")
