"""Schedules on a fixed clock: one firing per slot, one catch-up after a downtime (or none), the AD report."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import anyio
import pytest

from tests.server.automations.conftest import Site, activated_on_known_day, audited_and_replayed, until

pytestmark = pytest.mark.anyio
SCHEDULE = {
    "name": "Rapport AD quotidien",
    "kind": "schedule",
    "robot_id": "rapport-vulnerabilites-ad",
    "owner": "helene.marchal@chru-exemple.fr",
    "cron": "0 7 * * *",
    "notify": ["paul.henry@chru-exemple.fr"],
}
ARIANE = [sys.executable, "-c", "from server.cli import main; main()"]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def _schedule(site: Site, body: dict[str, Any]) -> dict[str, Any]:
    await site.sign_in("sophie.girard", "helene.marchal", "paul.henry")
    created = await site.api.post("/api/automations", json=body, headers=site.as_("sophie.girard"))
    assert created.status_code == 201, created.text
    automation = created.json()
    approved = await site.api.post(
        f"/api/automations/{automation['id']}/approve", headers=site.as_("paul.henry")
    )
    assert (approved.status_code, approved.json()["status"]) == (200, "active")
    activated_on_known_day(site, automation["id"])
    return dict(automation)


async def _firings(site: Site, automation_id: str) -> list[dict[str, Any]]:
    response = await site.api.get(
        f"/api/automations/{automation_id}/firings", headers=site.as_("sophie.girard")
    )
    return sorted(response.json(), key=lambda firing: firing["key"])


async def _settled(site: Site, automation_id: str) -> None:
    """Every firing has come to its end (no robot left running when the test stops the app)."""

    async def settled() -> bool:
        return all(f["finished_at"] for f in await _firings(site, automation_id))

    await until(settled, 120)


async def test_a_schedule_fires_once_per_slot_and_once_after_a_downtime_of_several_days(site):
    runner = site.app.state.automations._runner
    runner.clock = lambda: _at("2026-12-02T05:59:00")  # 06:59 in Paris: not yet
    automation = await _schedule(site, SCHEDULE | {"catch_up": True})

    assert await runner.fire_due() == 0
    runner.clock = lambda: _at("2026-12-02T06:00:30")  # 07:00:30 in Paris
    await runner.fire_due()
    await runner.fire_due()  # a second round (or another replica) finds the slot taken
    on_time = await _firings(site, automation["id"])
    runner.clock = lambda: _at("2026-12-06T09:00:00")  # back after four missed mornings
    await runner.fire_due()
    await runner.fire_due()
    after_downtime = await _firings(site, automation["id"])

    assert [(f["key"], f["origin"]) for f in on_time] == [("2026-12-02T07:00", "schedule")]
    assert [(f["key"], f["inputs"]) for f in after_downtime] == [
        ("2026-12-02T07:00", {"date": "2026-12-02"}),
        ("2026-12-06T07:00", {"date": "2026-12-06"}),
    ]
    assert after_downtime[1]["detail"].startswith("Rattrapage du créneau du 2026-12-06T07:00")
    await _settled(site, automation["id"])


async def test_a_schedule_that_does_not_catch_up_skips_the_missed_slot(site):
    runner = site.app.state.automations._runner
    runner.clock = lambda: _at("2026-12-06T09:00:00")
    automation = await _schedule(site, SCHEDULE | {"catch_up": False})

    await runner.fire_due()
    runner.clock = lambda: _at("2026-12-07T06:00:10")
    await runner.fire_due()

    firings = await _firings(site, automation["id"])
    assert [(f["key"], f["status"], f["approval_id"]) for f in firings[:1]] == [
        ("2026-12-06T07:00", "ignored", None)
    ]
    assert firings[1]["key"] == "2026-12-07T07:00"
    await _settled(site, automation["id"])


async def test_the_morning_ad_report_runs_and_its_ranked_findings_reach_the_security_officer(site):
    runner = site.app.state.automations._runner
    runner.clock = lambda: _at("2026-12-02T06:00:30")
    automation = await _schedule(site, SCHEDULE)
    await runner.fire_due()

    async def reported() -> dict[str, Any] | None:
        firings = await _firings(site, automation["id"])
        return firings[0] if firings and firings[0]["reply_sent_at"] else None

    firing = await until(reported, 120)
    approval = (
        await site.api.get(f"/api/approvals/{firing['approval_id']}", headers=site.as_("paul.henry"))
    ).json()
    job = (await site.api.get(f"/api/jobs/{firing['job_id']}", headers=site.as_("paul.henry"))).json()
    reports = [
        m for m in site.tenant_app.state.mail.messages.values()
        if m.folder == "inbox" and m.subject.startswith("Rapport quotidien des vulnérabilités")
    ]  # fmt: skip

    assert (firing["status"], job["status"], job["inputs"]) == (
        "succeeded",
        "succeeded",
        {"date": "2026-12-02"},
    )
    assert (approval["status"], approval["approver"]["email"], approval["requester"]["email"]) == (
        "approved", "paul.henry@chru-exemple.fr", "helene.marchal@chru-exemple.fr",
    )  # fmt: skip
    assert {a.address for m in reports for a in m.to} == {
        "paul.henry@chru-exemple.fr",
        "helene.marchal@chru-exemple.fr",
    }
    assert "# Rapport Active Directory du 2026-12-02" in reports[0].body
    assert "1. **[" in reports[0].body  # the findings, ranked, with their reasons
    await audited_and_replayed(site, firing["id"], approval, "paul.henry@chru-exemple.fr")


async def test_run_now_pause_and_resume(site):
    runner = site.app.state.automations._runner
    runner.clock = lambda: _at("2026-12-02T05:00:00")
    automation = await _schedule(site, SCHEDULE)
    url = f"/api/automations/{automation['id']}"
    as_dev = site.as_("sophie.girard")

    paused = await site.api.post(f"{url}/pause", headers=as_dev)
    refused = await site.api.post(f"{url}/run", headers=as_dev)
    again = await site.api.post(f"{url}/pause", headers=as_dev)
    resumed = await site.api.post(f"{url}/resume", headers=as_dev)
    run = await site.api.post(f"{url}/run", headers=as_dev)

    assert (paused.json()["status"], refused.status_code, refused.json()["error"]) == (
        "paused", 409, "automation_not_active",
    )  # fmt: skip
    assert (again.status_code, resumed.json()["status"], resumed.json()["next_slot"]) == (
        200, "active", "2026-12-02T06:00:00Z",
    )  # fmt: skip
    assert (run.status_code, run.json()["origin"], run.json()["inputs"]) == (
        202,
        "manual",
        {"date": "2026-12-02"},
    )
    await _settled(site, automation["id"])


def _ariane(site: Site, user: str, *args: str) -> subprocess.CompletedProcess[str]:
    token = site.token_for(f"{user}@chru-exemple.fr")
    command = [*ARIANE, "automations", *args, "--token", token, "--url", site.url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


async def test_the_command_line_lists_pauses_resumes_and_runs_now(site):
    site.app.state.automations._runner.clock = lambda: _at("2026-12-02T05:00:00")
    automation = await _schedule(site, SCHEDULE)
    ident = automation["id"]

    listed = await anyio.to_thread.run_sync(_ariane, site, "sophie.girard", "list")
    paused = await anyio.to_thread.run_sync(_ariane, site, "sophie.girard", "pause", ident)
    refused = await anyio.to_thread.run_sync(_ariane, site, "sophie.girard", "run-now", ident)
    resumed = await anyio.to_thread.run_sync(_ariane, site, "sophie.girard", "resume", ident)
    ran = await anyio.to_thread.run_sync(_ariane, site, "sophie.girard", "run-now", ident)
    stranger = await anyio.to_thread.run_sync(_ariane, site, "claire.dubois", "pause", ident)

    assert listed.stdout.splitlines() == [
        f"{ident}  active    schedule  « 0 7 * * * »  → rapport-vulnerabilites-ad  for "
        "helene.marchal@chru-exemple.fr  Rapport AD quotidien  next 2026-12-02T06:00:00Z"
    ]
    assert paused.stdout.startswith(f"{ident}  paused ")
    assert (refused.returncode, refused.stderr.strip().endswith("(automation_not_active)")) == (1, True)
    assert resumed.stdout.startswith(f"{ident}  active ")
    assert (ran.returncode, ran.stdout.split()[1:3]) == (0, ["manual", "queued"])
    assert (stranger.returncode, stranger.stderr.strip()) == (
        1, "ariane: Cette automatisation n'existe pas. (automation_not_found)",
    )  # fmt: skip
    await _settled(site, ident)
