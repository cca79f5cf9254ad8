"""The automations' refusals in the caller's language: French by default, English when asked."""

from __future__ import annotations

import pytest

from tests.server.automations.conftest import Site
from tests.server.automations.test_mail_trigger import TRIGGER

pytestmark = pytest.mark.anyio
EN = {"Accept-Language": "en"}


async def test_a_bad_automation_is_refused_in_french_by_default_and_in_english_when_asked(site: Site):
    await site.sign_in("thomas.roux", "julien.perrin", "claire.dubois")
    editor = site.as_("thomas.roux")
    schedule = TRIGGER | {"kind": "schedule", "cron": "0 25 * * *"}

    french = await site.api.post("/api/automations", json=schedule, headers=editor)
    english = await site.api.post("/api/automations", json=schedule, headers=editor | EN)
    unknown = await site.api.post(
        "/api/automations", json=TRIGGER | {"robot_id": "inconnu"}, headers=editor | EN
    )
    staff = await site.api.post("/api/automations", json=TRIGGER, headers=site.as_("claire.dubois") | EN)

    assert (french.status_code, french.json()) == (
        400,
        {"error": "invalid_cron", "detail": "Champ heure hors limites (0-23) : « 25 »."},
    )
    assert english.json() == {"error": "invalid_cron", "detail": "Field hour out of bounds (0-23): « 25 »."}
    assert unknown.json() == {"error": "robot_not_found", "detail": "Unknown robot « inconnu »."}
    assert staff.json() == {
        "error": "not_an_editor",
        "detail": "Reserved to tool developers and AI coordination.",
    }
