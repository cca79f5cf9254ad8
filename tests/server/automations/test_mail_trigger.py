"""The alert-mail flow end to end against the local tenant: mail → approval → robot job → reply mail."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from server.automations.runner import FIRE
from server.work import WorkItem
from tests.server.automations.conftest import ALERTS, MAIL_KEY, Site, audited_and_replayed, until

pytestmark = pytest.mark.anyio
ROBOT = "securisation-compte-compromis"
ALERT = (
    "Bonjour,\n\nNotre surveillance a détecté une compromission probable du compte suivant.\n\n"
    "Compte : nadia.benali@chru-exemple.fr\nIndicateurs :\n"
    "- 4 connexions depuis l'adresse IP 203.0.113.9 le 05/12/2026 à 03:12\n"
    "Niveau de gravité : élevé\nRéférence : VS-2026-1201\n\nLe centre de veille Vigie Santé"
)
TRIGGER = {
    "name": "Alertes de compte compromis (Vigie Santé)",
    "kind": "mail",
    "robot_id": ROBOT,
    "owner": "julien.perrin@chru-exemple.fr",
    "mailbox": ALERTS,
    "filter": {"sender": "@vigiesante-exemple.fr", "subject": "compte compromis"},
    "inputs": {},
    "notify": ["paul.henry@chru-exemple.fr"],
}


async def _active_trigger(site: Site) -> dict[str, Any]:
    await site.sign_in("thomas.roux", "julien.perrin", "paul.henry", "claire.dubois")
    created = await site.api.post("/api/automations", json=TRIGGER, headers=site.as_("thomas.roux"))
    assert created.status_code == 201, created.text
    automation = created.json()
    assert (automation["status"], automation["owner"]["email"]) == (
        "pending",
        "julien.perrin@chru-exemple.fr",
    )
    url = f"/api/automations/{automation['id']}/approve"
    by_owner = await site.api.post(url, headers=site.as_("julien.perrin"))
    approved = await site.api.post(url, headers=site.as_("paul.henry"))
    assert (by_owner.status_code, by_owner.json()["error"]) == (403, "self_approval")
    assert (approved.status_code, approved.json()["status"]) == (200, "active")
    return dict(approved.json())


async def _firings(site: Site, automation_id: str) -> list[dict[str, Any]]:
    response = await site.api.get(
        f"/api/automations/{automation_id}/firings", headers=site.as_("thomas.roux")
    )
    assert response.status_code == 200, response.text
    return list(response.json())


class _MailSeeingTheHistory:
    """Test spy around the runner's real mail: what the history said each time a mail went out."""

    def __init__(self, site: Site, automation_id: str) -> None:
        runner = site.app.state.automations._runner
        self._real, self._site, self._automation = runner._mail, site, automation_id
        self.seen: list[tuple[str, list[str]]] = []
        runner._mail = self

    async def changes(self, mailbox: str, link: str | None) -> Any:
        return await self._real.changes(mailbox, link)

    async def send_once(self, mail: Any) -> bool:
        history = [firing["status"] for firing in await _firings(self._site, self._automation)]
        self.seen.append((mail.internet_id.split("-")[0], history))
        return bool(await self._real.send_once(mail))


async def test_an_alert_mail_is_approved_by_the_security_officer_then_secured_and_the_soc_gets_a_reply(site):
    automation = await _active_trigger(site)
    mail = _MailSeeingTheHistory(site, automation["id"])
    await site.deliver("[Vigie Santé] Bulletin de veille n° 48", "Rien à signaler.")
    await site.deliver(
        "[Vigie Santé] Compte compromis : nadia.benali", ALERT, "<VS-2026-1201@vigiesante-exemple.fr>"
    )

    async def to_decide() -> list[dict[str, Any]]:
        activity = (await site.api.get("/api/activity", headers=site.as_("paul.henry"))).json()
        return [a for a in activity["to_decide"] if a["robot_id"] == ROBOT]

    (approval,) = await until(to_decide)
    assert (approval["inputs"], approval["requester"]["email"]) == (
        {"compte": "nadia.benali@chru-exemple.fr", "source": "Vigie Santé — centre de veille"},
        "julien.perrin@chru-exemple.fr",
    )

    async def notices() -> list[Any]:
        return [
            m for m in site.tenant_app.state.mail.messages.values()
            if m.subject == "Validation demandée : Mise en sécurité d'un compte compromis"
            and m.folder == "inbox"
        ]  # fmt: skip

    notices = await until(notices)
    assert {address.address for m in notices for address in m.to} >= {"paul.henry@chru-exemple.fr"}
    assert "Compte : nadia.benali@chru-exemple.fr" in notices[0].body

    decided = await site.api.post(f"/api/approvals/{approval['id']}/approve", headers=site.as_("paul.henry"))
    assert decided.status_code == 200, decided.text

    async def replied() -> dict[str, Any] | None:
        (firing,) = await _firings(site, automation["id"])
        return firing if firing["reply_sent_at"] else None

    firing = await until(replied, 120)
    assert (firing["status"], firing["origin"], firing["approval_id"]) == (
        "succeeded",
        "mail",
        approval["id"],
    )
    systems = site.tenant_app.state.systems
    assert [r["account"] for r in systems.read("incidents")] == ["nadia.benali@chru-exemple.fr"]
    outbound = (await site.tenant.get("/mail-api/outbound", headers=MAIL_KEY)).json()
    replies = [m for m in outbound if m["subject"].startswith("RE: [Vigie Santé] Compte compromis")]
    assert [(m["to"]["address"], m["from"]["address"]) for m in replies] == [
        ("soc@vigiesante-exemple.fr", ALERTS)
    ]
    assert systems.read("incidents")[0]["id"] in replies[0]["body"]
    # Whoever reads the reply and opens the history finds the outcome there already.
    assert mail.seen == [
        ("<approval", ["awaiting_approval"]),
        ("<reply", ["succeeded"]),
        ("<outcome", ["succeeded"]),
    ], "history when each mail went out"
    await audited_and_replayed(site, firing["id"], approval, "paul.henry@chru-exemple.fr")


async def test_the_same_message_delivered_twice_fires_once_and_other_mail_not_at_all(site):
    automation = await _active_trigger(site)
    for _ in range(2):
        await site.deliver("[Vigie Santé] Compte compromis", ALERT, "<VS-2026-1202@vigiesante-exemple.fr>")
    await site.deliver("[Vigie Santé] Bulletin de veille n° 48", "Aucune compromission.")
    other = {"address": "cert@exemple-attaquant.fr", "name": "Faux CERT"}
    await site.deliver("Compte compromis ?", "Compte : karim.haddad@chru-exemple.fr", sender=other)

    async def both_copies_seen() -> bool:
        inbox = [
            m for m in site.tenant_app.state.mail.messages.values() if "VS-2026-1202" in m.internet_message_id
        ]
        polled = (
            await site.app.state.automations._runner.poll_mailboxes()
        )  # one more round, after both copies
        return len(inbox) == 2 and polled == 0

    firings = await until(lambda: _firings(site, automation["id"]))
    await until(both_copies_seen)

    assert [(f["key"], f["inputs"]["compte"]) for f in await _firings(site, automation["id"])] == [
        ("<VS-2026-1202@vigiesante-exemple.fr>", "nadia.benali@chru-exemple.fr")
    ]
    assert len(firings) == 1


async def test_automations_are_created_by_tool_developers_and_ai_admins_only_with_typed_errors(site):
    await site.sign_in("thomas.roux", "julien.perrin", "claire.dubois", "paul.henry")
    cases = {
        "claire.dubois": (TRIGGER, 403, "not_an_editor"),
        "thomas.roux": (TRIGGER | {"owner": "claire.dubois@chru-exemple.fr"}, 400, "owner_not_requester"),
    }
    for user, (body, status, code) in cases.items():
        response = await site.api.post("/api/automations", json=body, headers=site.as_(user))
        assert (response.status_code, response.json()["error"]) == (status, code), user
    bad = [
        (TRIGGER | {"robot_id": "inconnu"}, "robot_not_found"),
        (TRIGGER | {"owner": "personne@chru-exemple.fr"}, "owner_unknown"),
        (TRIGGER | {"filter": {}}, "invalid_automation"),
        (TRIGGER | {"kind": "schedule", "cron": "0 25 * * *"}, "invalid_cron"),
        (TRIGGER | {"inputs": {"inconnu": 1}}, "invalid_automation"),
        (TRIGGER | {"kind": "autre"}, "invalid_request"),
    ]
    for body, code in bad:
        response = await site.api.post("/api/automations", json=body, headers=site.as_("thomas.roux"))
        assert (response.status_code, response.json()["error"]) == (400, code), body
    unknown = await site.api.get("/api/automations/not-a-uuid", headers=site.as_("thomas.roux"))
    assert (unknown.status_code, unknown.json()["error"]) == (404, "automation_not_found")
    created = (await site.api.post("/api/automations", json=TRIGGER, headers=site.as_("thomas.roux"))).json()
    hidden = await site.api.get(f"/api/automations/{created['id']}", headers=site.as_("claire.dubois"))
    listed = await site.api.get("/api/automations", headers=site.as_("claire.dubois"))
    assert (hidden.status_code, listed.json()) == (404, [])
    run = await site.api.post(f"/api/automations/{created['id']}/run", headers=site.as_("thomas.roux"))
    assert (run.status_code, run.json()["error"]) == (409, "not_a_schedule")


async def test_a_firing_run_again_after_a_crash_asks_once_and_notifies_once(site):
    automation = await _active_trigger(site)
    await site.deliver("[Vigie Santé] Compte compromis", ALERT, "<VS-2026-1203@vigiesante-exemple.fr>")

    async def asked() -> dict[str, Any] | None:
        firings = await _firings(site, automation["id"])
        return firings[0] if firings and firings[0]["status"] == "awaiting_approval" else None

    def notices() -> list[Any]:
        return [
            m for m in site.tenant_app.state.mail.messages.values()
            if m.subject.startswith("Validation demandée") and m.folder == "sentitems"
        ]  # fmt: skip

    async def notified() -> list[Any]:
        return notices()

    firing = await until(asked)
    await until(notified)  # the first attempt has gone to its end
    url = site.app.state.context.settings.database_url.get_secret_value()
    with psycopg.connect(url) as conn:  # the attempt died after asking, before noting it on the firing
        conn.execute("UPDATE automation_firings SET approval_id = NULL WHERE id = %s", (firing["id"],))
    item = WorkItem(
        id="again", kind=FIRE, payload={"firing_id": firing["id"]}, key=None, attempts=2, max_attempts=3
    )
    again = await site.app.state.automations._runner.fire(item)

    with psycopg.connect(url) as conn:
        approvals = conn.execute("SELECT id::text FROM approvals").fetchall()
    assert (again, [row[0] for row in approvals]) == (
        {"approval_id": firing["approval_id"]},
        [firing["approval_id"]],
    )
    assert len(notices()) == 1
