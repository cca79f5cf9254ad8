"""The automations' refusals in the caller's language: French by default, English when asked."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.server.automations.conftest import Site, until
from tests.server.automations.test_mail_trigger import TRIGGER
from tests.server.automations.test_schedules import SCHEDULE, _at, _schedule

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


async def _read_in_both(site: Site, url: str, user: str = "sophie.girard") -> tuple[Any, Any]:
    headers = site.as_(user)
    french = await site.api.get(url, headers=headers)
    english = await site.api.get(url, headers=headers | EN)
    assert (french.status_code, english.status_code) == (200, 200)
    return french.json(), english.json()


async def test_a_skipped_slot_is_told_in_the_readers_language_and_an_older_row_as_it_was_stored(site):
    runner = site.app.state.automations._runner
    runner.clock = lambda: _at("2026-12-06T09:00:00")  # 10:00 in Paris: the 07:00 slot was missed
    automation = await _schedule(site, SCHEDULE | {"catch_up": False})
    await runner.fire_due()
    url = f"/api/automations/{automation['id']}/firings"

    french, english = await _read_in_both(site, url)
    with psycopg.connect(site.app.state.context.settings.database_url.get_secret_value()) as conn:
        conn.execute("UPDATE automation_firings SET detail_text = NULL")  # as stored by the release before
    _, older = await _read_in_both(site, url)

    skipped_fr = "Créneau du 2026-12-06T07:00 manqué pendant un arrêt : ignoré (pas de rattrapage)."
    assert [(f["status"], f["detail"]) for f in french] == [("ignored", skipped_fr)]
    assert [f["detail"] for f in english] == [
        "Slot of 2026-12-06T07:00 missed during a downtime: skipped (no catch-up)."
    ]
    assert [f["detail"] for f in older] == [skipped_fr]


async def test_a_robot_firing_and_its_job_are_told_in_the_readers_language(site):
    runner = site.app.state.automations._runner
    runner.clock = lambda: _at("2026-12-02T06:00:30")
    automation = await _schedule(site, SCHEDULE)
    await runner.fire_due()

    async def reported() -> dict[str, Any] | None:
        firings = (await _read_in_both(site, f"/api/automations/{automation['id']}/firings"))[0]
        return firings[0] if firings and firings[0]["finished_at"] else None

    firing = await until(reported, 120)
    french, english = await _read_in_both(site, f"/api/automations/{automation['id']}")
    job_fr, job_en = await _read_in_both(site, f"/api/jobs/{firing['job_id']}", "paul.henry")

    assert (firing["status"], french["last_firings"][0]["detail"]) == (
        "succeeded",
        "Le robot a terminé avec succès.",
    )
    assert english["last_firings"][0]["detail"] == "The robot finished successfully."
    assert [(t["status"], t["detail"]) for t in job_fr["transitions"]] == [
        ("queued", "Planifié, en attente du robot."),
        ("running", "Robot démarré."),
        ("succeeded", "Terminé."),
    ]
    assert [t["detail"] for t in job_en["transitions"]] == [
        "Scheduled, waiting for the robot.",
        "Robot started.",
        "Finished.",
    ]
    # The launch approval Ariane decided for the schedule says why in the reader's language too.
    approval = f"/api/approvals/{job_fr['approval_id']}"
    approval_fr, approval_en = await _read_in_both(site, approval, "paul.henry")
    assert approval_fr["reason"] == f"Automatisation « {automation['name']} » validée (planification)."
    assert approval_en["reason"] == f"Automation « {automation['name']} » approved (schedule)."


async def test_a_firing_refused_for_its_inputs_is_told_in_the_readers_language(site):
    runner = site.app.state.automations._runner
    runner.clock = lambda: _at("2026-12-02T06:00:30")
    automation = await _schedule(site, SCHEDULE)
    with psycopg.connect(site.app.state.context.settings.database_url.get_secret_value()) as conn:
        conn.execute(
            'UPDATE automations SET inputs = \'{"date": "hier"}\' WHERE id = %s', (automation["id"],)
        )
    await runner.fire_due()
    url = f"/api/automations/{automation['id']}/firings"

    async def refused() -> Any:
        firings = (await _read_in_both(site, url))[0]
        return firings if firings and firings[0]["finished_at"] else None

    await until(refused, 60)
    french, english = await _read_in_both(site, url)

    assert [(f["status"], f["detail"]) for f in french] == [
        ("failed", "Rien n'est lancé : date : format invalide ('hier' is not a 'date')")
    ]
    assert [f["detail"] for f in english] == [
        "Nothing is launched: date: invalid format ('hier' is not a 'date')"
    ]
