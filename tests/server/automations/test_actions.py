"""Automations that post a message in the owner's conversation or send a mail (no robot)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from typing import Any

import anyio
import pytest

from server.automations.runner import FIRE
from server.work import WorkItem
from tests.server.automations.conftest import ALERTS, Site, activated_on_known_day, until

pytestmark = pytest.mark.anyio
ARIANE = [sys.executable, "-c", "from server.cli import main; main()"]
ALERT = (
    "Bonjour,\n\nNotre surveillance a détecté une compromission probable du compte suivant.\n\n"
    "Compte : nadia.benali@chru-exemple.fr\nIndicateurs :\n"
    "- 4 connexions depuis l'adresse IP 203.0.113.9 le 05/12/2026 à 03:12\n"
    "Niveau de gravité : élevé\nRéférence : VS-2026-1201\n\nLe centre de veille Vigie Santé"
)
CHAT_TRIGGER = {
    "name": "Alertes Vigie Santé dans ma messagerie Ariane",
    "kind": "mail",
    "action": "chat",
    "owner": "paul.henry@chru-exemple.fr",
    "mailbox": ALERTS,
    "filter": {"sender": "@vigiesante-exemple.fr", "subject": "compte compromis"},
    "message": "Alerte de {{ expediteur }} : {{ objet }}\nComptes cités : {{ comptes }}\n{{ indices }}",
}
MAIL_SCHEDULE = {
    "name": "Rappel de revue des comptes à privilèges",
    "kind": "schedule",
    "action": "mail",
    "owner": "paul.henry@chru-exemple.fr",
    "cron": "0 7 * * 1",
    "message": "Bonjour,\n\nLa revue hebdomadaire des comptes à privilèges est due ({{ creneau }}).",
    "notify": ["julien.perrin@chru-exemple.fr"],
}


async def _active(site: Site, body: dict[str, Any]) -> dict[str, Any]:
    """Created by a tool developer, approved by the AI coordination (not by its owner, a security officer)."""
    await site.sign_in("sophie.girard", "thomas.roux", "paul.henry", "julien.perrin", "anne.lambert")
    created = await site.api.post("/api/automations", json=body, headers=site.as_("sophie.girard"))
    assert created.status_code == 201, created.text
    automation = created.json()
    assert (automation["status"], automation["action"], automation["robot_id"]) == (
        "pending",
        body["action"],
        None,
    )
    url = f"/api/automations/{automation['id']}/approve"
    by_owner = await site.api.post(url, headers=site.as_("paul.henry"))
    approved = await site.api.post(url, headers=site.as_("thomas.roux"))
    assert (by_owner.status_code, by_owner.json()["error"]) == (403, "self_approval")
    assert (approved.status_code, approved.json()["status"]) == (200, "active"), approved.text
    return dict(approved.json())


async def _firings(site: Site, automation_id: str) -> list[dict[str, Any]]:
    response = await site.api.get(
        f"/api/automations/{automation_id}/firings", headers=site.as_("sophie.girard")
    )
    assert response.status_code == 200, response.text
    return list(response.json())


async def _replayed_identical(site: Site, run_id: str, owner: str) -> dict[str, Any]:
    anne = site.as_("anne.lambert")  # the auditor
    shown = await site.api.get(f"/api/audit/runs/{run_id}", headers=anne)
    assert shown.status_code == 200, shown.text
    run = shown.json()
    assert (run["summary"]["workflow"], run["summary"]["user_email"]) == ("automation_message", owner)
    replay = await site.api.post(f"/api/audit/runs/{run_id}/replay", json={}, headers=anne)
    assert (replay.status_code, replay.json()["status"]) == (200, "identique"), replay.text
    what_if = await site.api.post(f"/api/audit/runs/{run_id}/replay", json={"model": "x"}, headers=anne)
    assert (what_if.status_code, what_if.json()["error"]) == (409, "what_if_not_applicable"), what_if.text
    return dict(run)


async def test_each_alert_is_posted_once_in_the_owners_conversation_and_replays_identical(site):
    automation = await _active(site, CHAT_TRIGGER)
    alert_id = "<VS-2026-1201@vigiesante-exemple.fr>"
    await site.deliver("[Vigie Santé] Bulletin de veille n° 48", "Rien à signaler.")
    await site.deliver("[Vigie Santé] Compte compromis : nadia.benali", ALERT, alert_id)
    await site.deliver("[Vigie Santé] Compte compromis : nadia.benali", ALERT, alert_id)  # delivered twice

    async def posted() -> list[dict[str, Any]]:
        firings = await _firings(site, automation["id"])
        return firings if firings and all(f["finished_at"] for f in firings) else []

    (firing,) = await until(posted)
    assert firing["status"] == "succeeded", firing
    paul = site.as_("paul.henry")
    threads = (await site.api.get("/api/threads", headers=paul)).json()
    (thread,) = [t for t in threads if t["title"] == f"Automatisation : {CHAT_TRIGGER['name']}"]
    (run,) = (await site.api.get(f"/api/threads/{thread['id']}", headers=paul)).json()["runs"]
    assert (run["id"], run["status"], run["workflow"]) == (firing["id"], "done", "automation_message")
    assert run["answer"].startswith(
        "Alerte de Vigie Santé — centre de veille <soc@vigiesante-exemple.fr> : "
        "[Vigie Santé] Compte compromis : nadia.benali\nComptes cités : nadia.benali@chru-exemple.fr\n"
    ), run["answer"]
    assert "Niveau de gravité : élevé" in run["answer"]

    await site.deliver(
        "[Vigie Santé] Compte compromis : karim.haddad", ALERT.replace("nadia.benali", "karim.haddad")
    )
    second = await until(lambda: _two_finished(site, automation["id"]))
    runs = (await site.api.get(f"/api/threads/{thread['id']}", headers=paul)).json()["runs"]
    assert [r["id"] for r in runs] == [firing["id"], second["id"]]  # the same conversation, in order
    assert "karim.haddad@chru-exemple.fr" in runs[1]["answer"]
    # Someone else's conversation stays invisible to the creator.
    assert (
        await site.api.get(f"/api/threads/{thread['id']}", headers=site.as_("sophie.girard"))
    ).status_code == 404

    # Activité lists them for their reader (the creator has none of their own).
    delivered = (await site.api.get("/api/automations/delivered", headers=paul)).json()
    assert [(d["id"], d["automation_name"], d["action"], d["thread_id"], d["status"]) for d in delivered] == [
        (second["id"], CHAT_TRIGGER["name"], "chat", thread["id"], "succeeded"),
        (firing["id"], CHAT_TRIGGER["name"], "chat", thread["id"], "succeeded"),
    ]
    assert (await site.api.get("/api/automations/delivered", headers=site.as_("sophie.girard"))).json() == []
    recorded = await _replayed_identical(site, firing["id"], "paul.henry@chru-exemple.fr")
    assert recorded["outcome"]["answer"] == runs[0]["answer"]
    mine = await site.api.get(f"/api/audit/runs/{firing['id']}", headers=paul)
    assert (mine.status_code, mine.json()["outcome"]["answer"]) == (200, runs[0]["answer"])


async def _two_finished(site: Site, automation_id: str) -> dict[str, Any] | None:
    firings = await _firings(site, automation_id)
    if len(firings) == 2 and all(f["finished_at"] for f in firings):
        return firings[0]  # newest first
    return None


async def test_a_mail_schedule_sends_its_text_once_to_its_recipients(site):
    automation = await _active(site, MAIL_SCHEDULE)
    activated_on_known_day(site, automation["id"])
    runner = site.app.state.automations._runner
    runner.clock = lambda: datetime.fromisoformat("2026-12-07T06:00:30+00:00")  # Monday 07:00:30 in Paris
    await runner.fire_due()

    async def sent() -> list[Any]:
        return [
            m for m in site.tenant_app.state.mail.messages.values()
            if m.subject == MAIL_SCHEDULE["name"] and m.folder == "inbox"
        ]  # fmt: skip

    (mail,) = await until(sent)
    assert [a.address for a in mail.to] == ["julien.perrin@chru-exemple.fr"]
    assert mail.body.strip().endswith("est due (07/12/2026 07:00).")
    (firing,) = await until(lambda: _finished(site, automation["id"]))
    assert (firing["status"], firing["key"]) == ("succeeded", "2026-12-07T07:00")
    # The same firing carried again (a worker that died after sending): nothing more is sent.
    item = WorkItem(
        id="x",
        kind=FIRE,
        payload={"firing_id": firing["id"]},
        key=f"{FIRE}:{firing['id']}",
        attempts=2,
        max_attempts=5,
    )
    assert await runner.fire(item) == {"status": "nothing"}
    await runner._deliver(
        await _automation_row(site, automation["id"]), await _firing_row(site, firing["id"])
    )
    assert len(await sent()) == 1
    await _replayed_identical(site, firing["id"], "paul.henry@chru-exemple.fr")


async def _finished(site: Site, automation_id: str) -> list[dict[str, Any]]:
    firings = await _firings(site, automation_id)
    return firings if firings and all(f["finished_at"] for f in firings) else []


async def _automation_row(site: Site, automation_id: str) -> dict[str, Any]:
    from server.automations import repository

    row = await repository.get(site.app.state.automations._pool, automation_id)
    assert row is not None
    return dict(row)


async def _firing_row(site: Site, firing_id: str) -> dict[str, Any]:
    from server.automations import repository

    row = await repository.get_firing(site.app.state.automations._pool, firing_id)
    assert row is not None
    return dict(row)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"message": "Alerte : {{ objet }} pour {{ patient }}"}, "unknown_column"),
        ({"message": None}, "message_missing"),
        ({"robot_id": "securisation-compte-compromis"}, "robot_not_allowed"),
        ({"action": "mail"}, "recipients_missing"),
        ({"inputs": {"compte": "x@chru-exemple.fr"}}, "inputs_not_allowed"),
        ({"action": "robot", "robot_id": "securisation-compte-compromis"}, "message_not_allowed"),
    ],
)
async def test_a_message_automation_that_cannot_work_is_refused_in_french(site, change, code):
    await site.sign_in("sophie.girard", "paul.henry")
    body = {key: value for key, value in (CHAT_TRIGGER | change).items() if value is not None}
    response = await site.api.post("/api/automations", json=body, headers=site.as_("sophie.girard"))
    assert (response.status_code, response.json()["error"]) == (400, code), response.text
    assert response.json()["detail"]


async def test_the_recipients_of_a_mail_do_not_change_without_a_new_approval(site):
    automation = await _active(site, MAIL_SCHEDULE)
    url = f"/api/automations/{automation['id']}"
    moved = await site.api.patch(
        url, json={"notify": ["x@ailleurs.example"]}, headers=site.as_("sophie.girard")
    )
    renamed = await site.api.patch(
        url, json={"name": "Revue hebdomadaire"}, headers=site.as_("sophie.girard")
    )
    assert (moved.status_code, moved.json()["error"]) == (400, "recipients_need_approval")
    assert (renamed.status_code, renamed.json()["notify"]) == (200, ["julien.perrin@chru-exemple.fr"])


def _ariane(site: Site, user: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    token = site.token_for(f"{user}@chru-exemple.fr")
    command = [*ARIANE, "automations", *args, "--token", token, "--url", site.url]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120, check=False)


async def test_the_command_line_creates_an_automation_from_yaml(site, tmp_path):
    await site.sign_in("sophie.girard", "paul.henry")
    described = (
        "name: Rappel hebdomadaire\nkind: schedule\naction: chat\ncron: '0 7 * * 1'\n"
        "owner: paul.henry@chru-exemple.fr\nmessage: |\n  Revue des comptes à privilèges ({{ creneau }}).\n"
    )
    created = await anyio.to_thread.run_sync(
        lambda: _ariane(site, "sophie.girard", "create", "-", stdin=described)
    )
    (tmp_path / "faux.yaml").write_text(described.replace("{{ creneau }}", "{{ patient }}"), encoding="utf-8")
    refused = await anyio.to_thread.run_sync(
        _ariane, site, "sophie.girard", "create", str(tmp_path / "faux.yaml")
    )
    not_a_mapping = await anyio.to_thread.run_sync(
        lambda: _ariane(site, "sophie.girard", "create", "-", stdin="- a\n")
    )

    assert created.returncode == 0, created.stderr
    ident = created.stdout.split()[0]
    assert created.stdout.split()[1:3] == ["pending", "schedule"]
    assert "→ chat  for paul.henry@chru-exemple.fr  Rappel hebdomadaire" in created.stdout
    listed = (await site.api.get(f"/api/automations/{ident}", headers=site.as_("sophie.girard"))).json()
    assert listed["message"] == "Revue des comptes à privilèges ({{ creneau }}).\n"
    assert (refused.returncode, refused.stderr.strip().endswith("(unknown_column)")) == (1, True), (
        refused.stderr
    )
    assert (not_a_mapping.returncode, "a mapping" in not_a_mapping.stderr) == (1, True)
