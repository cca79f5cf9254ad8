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
from server.gateway.classification import Finding
from server.gateway.policy import DataClass, Hosting
from server.gateway.policy_issues import _BY_TYPE, _YAML_PROBLEMS
from server.gateway.quotas import QUOTA_TEXTS
from server.messages import MESSAGES as SERVER_MESSAGES
from tools.calendar.texts import TEXTS as CALENDAR_TOOL_TEXTS
from tools.documents.texts import TEXTS as DOCUMENTS_TOOL_TEXTS
from tools.i18n import Catalogue, Text, joined
from tools.knowledge.texts import TEXTS as KNOWLEDGE_TOOL_TEXTS
from tools.mail.texts import TEXTS as MAIL_TOOL_TEXTS
from tools.mcp_common.texts import TEXTS as COMMON_TOOL_TEXTS
from tools.meetings.texts import TEXTS as MEETINGS_TOOL_TEXTS
from tools.robots.texts import TEXTS as ROBOT_TOOL_TEXTS

# The tool servers' refusals, by package: each asks its own catalogue and the common one.
TOOL_TEXTS = {
    "calendar": CALENDAR_TOOL_TEXTS,
    "documents": DOCUMENTS_TOOL_TEXTS,
    "knowledge": KNOWLEDGE_TOOL_TEXTS,
    "mail": MAIL_TOOL_TEXTS,
    "mcp_common": COMMON_TOOL_TEXTS,
    "meetings": MEETINGS_TOOL_TEXTS,
    "robots": ROBOT_TOOL_TEXTS,
}


@pytest.mark.parametrize(
    "catalogue",
    [SERVER_MESSAGES, AGENT_MESSAGES, CLI_TEXTS, *TOOL_TEXTS.values()],
    ids=["server", "agents", "cli", *(f"{name}_tool" for name in TOOL_TEXTS)],
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


def test_a_list_of_texts_is_rendered_item_by_item_in_the_reader_s_language() -> None:
    catalogue = Catalogue({"day": {"fr": "« {subject} » du {day}", "en": "« {subject} » of {day}"}})
    close = joined(
        [catalogue("day", subject="{AG}", day="19/06"), catalogue("day", subject="CSE", day="20/06")]
    )

    assert (str(close), close.render("en")) == (
        "« {AG} » du 19/06, « CSE » du 20/06",
        "« {AG} » of 19/06, « CSE » of 20/06",
    )
    assert str(joined([])) == ""


def test_a_text_handed_over_as_json_by_a_reader_process_renders_the_same_and_a_broken_one_is_not() -> None:
    catalogue = Catalogue(
        {
            "outer": {"fr": "Refusé : {reason} ({count})", "en": "Refused: {reason} ({count})"},
            "inner": {"fr": "pas de modèle", "en": "no model"},
        }
    )
    text = catalogue("outer", reason=catalogue("inner"), count=3)

    revived = catalogue.revive(json.loads(json.dumps(text.stored())))

    assert (str(revived), revived.render("en")) == ("Refusé : pas de modèle (3)", "Refused: no model (3)")
    broken = [
        ({"id": "other", "params": {}}, "not a text"),
        ({"id": "outer", "params": {"count": 3}}, "without all its parameters"),
        (["outer"], "not a text"),
    ]
    for data, reason in broken:
        with pytest.raises(ValueError, match=reason):
            catalogue.revive(data)


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
    tables |= {f"gateway.data_class.{member.value}" for member in DataClass}
    tables |= {f"gateway.hosting.{member.value}" for member in Hosting}
    tables |= {f"gateway.finding.{member.value}" for member in Finding}
    tables |= set(QUOTA_TEXTS.values())
    assert sorted(key for _, key in asked if key not in known) == []
    assert sorted(tables - known) == []


# A tool text asked for by a literal id: `TEXTS("id", …)` (the package's), `COMMON_TEXTS("id")`.
_TOOL_CALL = re.compile(r"""\b(COMMON_TEXTS|TEXTS)\(\s*["']([a-z_.]+)["']""")


@pytest.mark.parametrize("package", sorted(TOOL_TEXTS))
def test_every_id_a_tool_server_asks_for_is_in_its_catalogue(package: str) -> None:
    catalogues = {"TEXTS": TOOL_TEXTS[package], "COMMON_TEXTS": COMMON_TOOL_TEXTS}
    asked = [
        (str(path.relative_to(ROOT)), name, key)
        for path in (ROOT / "tools" / package).rglob("*.py")
        for name, key in _TOOL_CALL.findall(path.read_text(encoding="utf-8"))
    ]
    assert asked  # the pattern finds the calls
    assert [call for call in asked if call[2] not in catalogues[call[1]].entries] == []


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
