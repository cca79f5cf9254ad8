"""Graph change notifications for mail triggers, against the local tenant: subscribed on activation, a
new alert fires through the notification (periodic polling an hour away), forged notifications do
nothing, subscriptions renewed before they end and removed when the trigger is paused or deleted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from server.automations import subscription_repository as kept
from server.automations.settings import AutomationsSettings
from server.settings import Settings
from tests.server.automations.conftest import ALERTS, Site, open_site, until
from tests.server.automations.test_mail_trigger import ALERT, _active_trigger, _firings
from tools.tenant.graph.subscription_store import Subscription
from tools.tenant.identity.issuer import API_CLIENT_ID
from tools.tenant.settings import TenantSettings

pytestmark = pytest.mark.anyio
ROUTE = "/api/automations/graph-notifications"


def _notified(url: str) -> AutomationsSettings:
    # Periodic polling an hour away: within a test, only a notification can make the mailbox polled.
    return AutomationsSettings(
        poll_seconds=3600, schedule_seconds=0.2, subscription_seconds=0.2, notification_url=f"{url}{ROUTE}"
    )


@pytest.fixture
async def notified(
    settings: Settings, tenant_app: FastAPI, tenant_settings: TenantSettings, token_for: Any
) -> AsyncIterator[Site]:
    async with open_site(settings, tenant_app, tenant_settings, token_for, _notified) as opened:
        yield opened


def _tenant_side(site: Site) -> list[Subscription]:
    return list(site.tenant_app.state.subscriptions.owned_by(API_CLIENT_ID))


async def _subscribed(site: Site, automation_id: str) -> Subscription:
    async def recorded() -> dict[str, Any] | None:
        row = await kept.of_automation(site.app.state.automations.pool, automation_id)
        return row if row and row["subscription_id"] else None

    row = await until(recorded)
    (subscription,) = _tenant_side(site)
    assert (subscription.id, subscription.resource, subscription.folder) == (
        row["subscription_id"], f"users/{ALERTS}/mailFolders('inbox')/messages", "inbox",
    )  # fmt: skip
    return subscription


async def _polls(site: Site) -> list[dict[str, Any]]:
    async with site.app.state.automations.pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT idempotency_key, payload FROM work_items WHERE kind = 'automation.poll' "
            "ORDER BY created_at"
        )
        return list(await cursor.fetchall())


async def test_an_alert_mail_fires_through_the_change_notification(notified: Site) -> None:
    automation = await _active_trigger(notified)
    await _subscribed(notified, automation["id"])
    await notified.deliver(
        "[Vigie Santé] Compte compromis : nadia.benali", ALERT, "<VS-2026-1301@vigiesante-exemple.fr>"
    )
    (firing,) = await until(lambda: _firings(notified, automation["id"]))
    assert (firing["origin"], firing["key"], firing["inputs"]["compte"]) == (
        "mail", "<VS-2026-1301@vigiesante-exemple.fr>", "nadia.benali@chru-exemple.fr",
    )  # fmt: skip
    (message,) = [m for m in notified.tenant_app.state.mail.messages.values()
                  if m.internet_message_id == "<VS-2026-1301@vigiesante-exemple.fr>"]  # fmt: skip
    # The poll that found it is the one the notification queued (keyed by the message it named).
    assert [row["idempotency_key"] for row in await _polls(notified)] == [
        f"automation.poll:{automation['id']}:{message.id}"
    ]


async def test_forged_or_malformed_notifications_do_nothing_and_a_repeated_one_polls_once(
    notified: Site,
) -> None:
    automation = await _active_trigger(notified)
    subscription = await _subscribed(notified, automation["id"])
    api = notified.api

    echoed = await api.post(f"{ROUTE}?validationToken=Validation%3A%20abc", content=b"")
    assert (echoed.status_code, echoed.headers["content-type"].split(";")[0], echoed.text) == (
        200, "text/plain", "Validation: abc",
    )  # fmt: skip
    not_graphs = await api.post(f"{ROUTE}?validationToken=abc", json={"value": [{"changeType": "x"}]})
    assert not_graphs.status_code == 400, "a body is checked even with a token (the handshake has none)"

    def one(client_state: str | None, subscription_id: str = subscription.id) -> dict[str, Any]:
        item: dict[str, Any] = {"subscriptionId": subscription_id, "changeType": "created",
                                "resourceData": {"id": "AAMkAG-msg-1"}}  # fmt: skip
        if client_state is not None:
            item["clientState"] = client_state
        return {"value": [item]}

    forged = [one("deviné"), one(None), one(subscription.client_state, "inconnue"), one("")]
    for body in forged:
        response = await api.post(ROUTE, json=body)
        assert (response.status_code, response.content) == (202, b""), body
    empty = await api.post(ROUTE, content=b"")  # not Graph's: nothing to do, nothing said
    assert (empty.status_code, empty.content) == (202, b"")
    assert await _polls(notified) == []

    refused = [
        (b"pas du json", 400, "invalid_notification"),
        (b'{"value": [{"clientState": "x"}]}', 400, "invalid_notification"),
        (b'{"value": [{"subscriptionId": "a\\u0000b"}]}', 400, "invalid_request"),  # NUL: refused anywhere
        (b'{"value": []}' + b" " * 300_000, 413, "payload_too_large"),
    ]
    for raw, status, code in refused:
        response = await api.post(ROUTE, content=raw, headers={"Content-Type": "application/json"})
        assert (response.status_code, response.json()["error"]) == (status, code), raw[:40]
    assert await _polls(notified) == []

    for _ in range(2):  # Graph retrying the same notification
        assert (await api.post(ROUTE, json=one(subscription.client_state))).status_code == 202
    assert [row["payload"] for row in await _polls(notified)] == [{"automation_id": automation["id"]}]


async def test_a_body_naming_many_subscriptions_is_looked_up_once_and_polls_once_per_message(
    notified: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    automation = await _active_trigger(notified)
    subscription = await _subscribed(notified, automation["id"])
    looked_up: list[list[str]] = []
    watched_by = kept.watched_by

    async def counted(pool: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
        looked_up.append(ids)
        return await watched_by(pool, ids)

    monkeypatch.setattr(kept, "watched_by", counted)

    def item(subscription_id: str, client_state: str, message: str) -> dict[str, Any]:
        return {
            "subscriptionId": subscription_id,
            "clientState": client_state,
            "resourceData": {"id": message},
        }

    genuine = subscription.client_state
    body = {
        "value": [item(subscription.id, genuine, "AAMkAG-msg-1")] * 40
        + [item(subscription.id, "deviné", "AAMkAG-msg-9")] * 20
        + [item(f"inconnue-{n % 5}", genuine, "AAMkAG-msg-8") for n in range(39)]
        + [item(subscription.id, genuine, "AAMkAG-msg-2")]
    }

    response = await notified.api.post(ROUTE, json=body)

    assert (response.status_code, response.content) == (202, b"")
    assert looked_up == [[subscription.id, *(f"inconnue-{n}" for n in range(5))]]
    assert [row["idempotency_key"] for row in await _polls(notified)] == [
        f"automation.poll:{automation['id']}:AAMkAG-msg-1",
        f"automation.poll:{automation['id']}:AAMkAG-msg-2",
    ]


async def test_an_address_sending_too_many_requests_is_refused_for_a_minute_and_others_are_heard(
    notified: Site,
) -> None:
    notified.app.state.automations.notifications_per_minute = 3
    other = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=notified.app, client=("192.0.2.7", 4000)), base_url=notified.url
    )

    heard = [await notified.api.post(ROUTE, content=b"") for _ in range(3)]
    refused = await notified.api.post(ROUTE, json={"value": []}, headers={"Accept-Language": "en"})
    async with other:
        elsewhere = await other.post(ROUTE, content=b"pas du json", headers={"Accept-Language": "en"})

    assert [answer.status_code for answer in heard] == [202] * 3
    assert (refused.status_code, refused.json()["error"], refused.headers["retry-after"]) == (
        429, "too_many_requests", "60",
    )  # fmt: skip
    assert "at most 3 requests a minute" in refused.json()["detail"]
    assert (elsewhere.status_code, elsewhere.json()) == (
        400, {"error": "invalid_notification", "detail": "This is not a Graph change notification."},
    )  # fmt: skip


async def test_a_subscription_is_renewed_before_it_ends_and_removed_when_paused_or_deleted(
    notified: Site,
) -> None:
    automation = await _active_trigger(notified)
    first = await _subscribed(notified, automation["id"])
    assert timedelta(days=2, hours=23) < first.expiration - datetime.now(UTC) <= timedelta(days=3)

    runner = notified.app.state.automations._runner
    runner.clock = lambda: datetime.now(UTC) + timedelta(days=2)  # past half of its 3 days

    async def renewed() -> list[Subscription]:
        return [s for s in _tenant_side(notified) if s.expiration > first.expiration + timedelta(days=1)]

    (renewal,) = await until(renewed)
    assert renewal.id == first.id
    runner.clock = lambda: datetime.now(UTC)

    paused = await notified.api.post(
        f"/api/automations/{automation['id']}/pause", headers=notified.as_("thomas.roux")
    )
    assert paused.status_code == 200, paused.text

    async def gone() -> bool:
        row = await kept.of_automation(notified.app.state.automations.pool, automation["id"])
        return row is None and _tenant_side(notified) == []

    await until(gone)
    resumed = await notified.api.post(
        f"/api/automations/{automation['id']}/resume", headers=notified.as_("thomas.roux")
    )
    assert resumed.status_code == 200, resumed.text
    again = await _subscribed(notified, automation["id"])
    assert again.id != first.id
    deleted = await notified.api.delete(
        f"/api/automations/{automation['id']}", headers=notified.as_("thomas.roux")
    )
    assert deleted.status_code == 204, deleted.text
    await until(gone)
