"""The ids of automations, batches, governance and audit texts that the code builds from a name all exist.

`tests/test_messages.py` finds the ids written out in calls; these are composed (`f"….{name}"`), so each
table they come from is checked here, with the helper that lists texts in the reader's language.
"""

from __future__ import annotations

from server.automations.cron import _NAMES as CRON_FIELDS
from server.gateway.policy import DataClass
from server.governance.shadow.catalogue import _FIELD_FORMATS, _KINDS
from server.messages import MESSAGES
from tools.i18n import joined


def test_every_composed_id_is_in_the_catalogue() -> None:
    composed = {f"automations.cron_field.{name}" for name in CRON_FIELDS}
    composed |= {f"batches.data_class.{data_class.value}" for data_class in DataClass}
    composed |= {f"governance.catalogue.format.{name}" for name in (*_FIELD_FORMATS, "plain")}
    composed |= {f"governance.catalogue.{name}" for name in (*_KINDS.values(), "invalid")}
    composed |= {f"governance.log_column.{name}" for name in ("time", "user", "host", "bytes")}  # required
    assert len(composed) > 20
    assert sorted(composed - set(MESSAGES.entries)) == []


def test_a_list_of_texts_is_rendered_item_by_item_in_either_language() -> None:
    missing = joined([MESSAGES("audit.missing.message"), MESSAGES("audit.missing.steps", count=2)])
    separated = joined(
        [MESSAGES("governance.catalogue.required")] * 2, MESSAGES("governance.catalogue.separator")
    )

    assert (
        str(missing)
        == "le message de l'utilisateur, le contenu de 2 échange(s) avec les modèles et les outils"
    )
    assert (
        missing.render("en")
        == "the user's message, the content of 2 exchange(s) with the models and the tools"
    )
    assert (str(separated), separated.render("en")) == (
        "champ obligatoire ; champ obligatoire",
        "required field; required field",
    )
    assert str(joined([], "{")) == ""
