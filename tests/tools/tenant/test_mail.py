"""The tenant's mail over Graph's HTTP shapes: mailboxes and their access, delta, sending, app-only access."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tools.tenant.app import create_tenant_app
from tools.tenant.identity.issuer import API_CLIENT_ID, GRAPH_AUDIENCE, GRAPH_SCOPES
from tools.tenant.settings import TenantSettings

pytestmark = pytest.mark.anyio
ALERTS = "alertes-securite@chru-exemple.fr"
SOC = {"address": "soc@vigiesante-exemple.fr", "name": "Vigie Santé — centre de veille"}
MAIL_KEY = {"X-Mail-Key": "ariane-mail-local-key"}
Headers = Callable[[str], dict[str, str]]


@pytest.fixture
async def http(tenant_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=tenant_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8001") as client:
        yield client


@pytest.fixture
def user(tenant_app: FastAPI) -> Headers:
    provider = tenant_app.state.identity

    def headers(name: str) -> dict[str, str]:
        found = provider.directory.user_by_mail(f"{name}@chru-exemple.fr")
        token = provider.tokens.access_token(
            found, audience=GRAPH_AUDIENCE, scope=GRAPH_SCOPES, client_id=API_CLIENT_ID
        )
        return {"Authorization": f"Bearer {token}"}

    return headers


async def _app_headers(http: httpx.AsyncClient, tenant_app: FastAPI) -> dict[str, str]:
    tenant_id = tenant_app.state.identity.directory.tenant.id
    response = await http.post(
        f"/{tenant_id}/oauth2/v2.0/token",
        data={"grant_type": "client_credentials", "client_id": API_CLIENT_ID,
              "client_secret": "ariane-local-secret", "scope": f"{GRAPH_AUDIENCE}/.default"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _alert(http: httpx.AsyncClient, subject: str, message_id: str | None = None) -> dict[str, Any]:
    body = {
        "from": SOC,
        "to": [{"address": ALERTS}],
        "subject": subject,
        "body": "Compte : x@chru-exemple.fr",
    }
    if message_id:
        body["internet_message_id"] = message_id
    response = await http.post("/mail-api/inbound", json=body, headers=MAIL_KEY)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_user_reads_their_mailbox_newest_first_and_no_one_elses(http, user) -> None:
    inbox = (await http.get("/v1.0/me/mailFolders/inbox/messages", headers=user("paul.henry"))).json()
    other = await http.get("/v1.0/users/claire.dubois@chru-exemple.fr/messages", headers=user("paul.henry"))

    assert [m["subject"] for m in inbox["value"]] == ["Automatiser les alertes de compte compromis",
                                                      "Comité cybersécurité du 27 novembre"]  # fmt: skip
    first = inbox["value"][0]
    assert (first["from"]["emailAddress"]["address"], first["body"]["contentType"]) == (
        "thomas.roux@chru-exemple.fr", "text",
    )  # fmt: skip
    assert (other.status_code, other.json()["error"]["code"]) == (403, "ErrorAccessDenied")


async def test_a_shared_mailbox_opens_to_its_readers_only(http, user) -> None:
    paul = await http.get(f"/v1.0/users/{ALERTS}/mailFolders/inbox/messages", headers=user("paul.henry"))
    claire = await http.get(f"/v1.0/users/{ALERTS}/messages", headers=user("claire.dubois"))

    assert paul.status_code == 200
    assert [m["internetMessageId"] for m in paul.json()["value"]] == [
        "<VS-bulletin-47@vigiesante-exemple.fr>", "<hameconnage-2026-11-25@chru-exemple.fr>",
        "<VS-2026-1142@vigiesante-exemple.fr>",
    ]  # fmt: skip
    assert claire.status_code == 403


async def test_delta_gives_everything_once_then_only_what_arrived(http, user) -> None:
    url = f"/v1.0/users/{ALERTS}/mailFolders/inbox/messages/delta()"
    headers = user("paul.henry") | {"Prefer": "odata.maxpagesize=2"}
    first = (await http.get(url, headers=headers)).json()
    second = (await http.get(first["@odata.nextLink"], headers=headers)).json()
    assert "@odata.deltaLink" not in first
    assert len(first["value"]) + len(second["value"]) == 3
    quiet = (await http.get(second["@odata.deltaLink"], headers=headers)).json()

    delivered = await _alert(http, "[Vigie Santé] Compte compromis : marc.lefevre@chru-exemple.fr")
    changed = (await http.get(quiet["@odata.deltaLink"], headers=headers)).json()
    after = (await http.get(changed["@odata.deltaLink"], headers=headers)).json()
    broken = await http.get(url, params={"$deltatoken": "nonsense"}, headers=headers)

    assert quiet["value"] == []
    assert [m["id"] for m in changed["value"]] == [delivered["delivered"][0]["id"]]
    assert after["value"] == []
    assert (broken.status_code, broken.json()["error"]["code"]) == (400, "SyncStateNotFound")


async def test_sent_mail_lands_in_sent_items_in_inboxes_and_outside(http, user) -> None:
    message = {
        "subject": "Point sécurité",
        "body": {"contentType": "Text", "content": "Bonjour Hélène, le rapport est prêt."},
        "toRecipients": [{"emailAddress": {"address": "helene.marchal@chru-exemple.fr"}}],
        "ccRecipients": [{"emailAddress": {"address": "soc@vigiesante-exemple.fr"}}],
    }
    sent = await http.post("/v1.0/me/sendMail", json={"message": message}, headers=user("paul.henry"))
    as_shared = await http.post(f"/v1.0/users/{ALERTS}/sendMail", json={"message": message},
                                headers=user("claire.dubois"))  # fmt: skip

    assert sent.status_code == 202
    assert as_shared.status_code == 403
    received = (await http.get("/v1.0/me/messages", params={"$search": '"rapport est prêt"'},
                               headers=user("helene.marchal"))).json()["value"]  # fmt: skip
    kept = (await http.get("/v1.0/me/mailFolders/sentitems/messages", headers=user("paul.henry"))).json()
    outside = (await http.get("/mail-api/outbound", headers=MAIL_KEY)).json()
    assert [(m["subject"], m["from"]["emailAddress"]["name"]) for m in received] == [
        ("Point sécurité", "Paul Henry")
    ]
    assert [m["subject"] for m in kept["value"]] == ["Point sécurité"]
    assert [(m["to"]["address"], m["subject"]) for m in outside] == [
        ("soc@vigiesante-exemple.fr", "Point sécurité")
    ]
    assert received[0]["internetMessageId"] == kept["value"][0]["internetMessageId"]


async def test_the_application_reaches_only_the_mailboxes_of_its_access_policy(http, tenant_app) -> None:
    app = await _app_headers(http, tenant_app)
    alerts = await http.get(f"/v1.0/users/{ALERTS}/mailFolders/inbox/messages", headers=app)
    personal = await http.get("/v1.0/users/paul.henry@chru-exemple.fr/messages", headers=app)
    me = await http.get("/v1.0/me/messages", headers=app)
    calendar = await http.get("/v1.0/me/events", headers=app)

    assert alerts.status_code == 200
    assert personal.status_code == 403
    assert me.status_code == 400
    assert calendar.status_code == 401


async def test_a_reply_is_drafted_found_by_its_id_and_sent_once(http, tenant_app) -> None:
    app = await _app_headers(http, tenant_app)
    alert = await _alert(http, "[Vigie Santé] Compte compromis", "<VS-2026-2001@vigiesante-exemple.fr>")
    copy = alert["delivered"][0]["id"]
    patch = {"message": {"internetMessageId": "<reponse-1@chru-exemple.fr>",
                         "body": {"contentType": "text", "content": "Compte mis en sécurité."}}}  # fmt: skip

    draft = await http.post(f"/v1.0/users/{ALERTS}/messages/{copy}/createReply", json=patch, headers=app)
    wanted = {"$filter": "internetMessageId eq '<reponse-1@chru-exemple.fr>'"}
    found = await http.get(f"/v1.0/users/{ALERTS}/messages", params=wanted, headers=app)
    sent = await http.post(f"/v1.0/users/{ALERTS}/messages/{draft.json()['id']}/send", headers=app)
    again = await http.post(f"/v1.0/users/{ALERTS}/messages/{draft.json()['id']}/send", headers=app)

    assert draft.status_code == 201
    assert (draft.json()["subject"], draft.json()["toRecipients"][0]["emailAddress"]["address"]) == (
        "RE: [Vigie Santé] Compte compromis", "soc@vigiesante-exemple.fr",
    )  # fmt: skip
    assert [m["isDraft"] for m in found.json()["value"]] == [True]
    assert (sent.status_code, again.status_code) == (202, 400)
    outside = (await http.get("/mail-api/outbound", headers=MAIL_KEY)).json()
    assert [(m["subject"], m["body"]) for m in outside] == [
        ("RE: [Vigie Santé] Compte compromis", "Compte mis en sécurité.")
    ]


async def test_mail_survives_a_restart_of_the_tenant(http, tenant_settings: TenantSettings, user) -> None:
    await _alert(http, "[Vigie Santé] Alerte de nuit", "<VS-nuit@vigiesante-exemple.fr>")
    restarted = create_tenant_app(tenant_settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=restarted), base_url="http://t") as again:
        token = restarted.state.identity.tokens.access_token(
            restarted.state.identity.directory.user_by_mail("paul.henry@chru-exemple.fr"),
            audience=GRAPH_AUDIENCE, scope=GRAPH_SCOPES, client_id=API_CLIENT_ID,
        )  # fmt: skip
        found = await again.get(f"/v1.0/users/{ALERTS}/messages",
                                params={"$filter": "internetMessageId eq '<VS-nuit@vigiesante-exemple.fr>'"},
                                headers={"Authorization": f"Bearer {token}"})  # fmt: skip

    assert [m["subject"] for m in found.json()["value"]] == ["[Vigie Santé] Alerte de nuit"]


async def test_mail_from_outside_needs_the_key(http) -> None:
    body = {"from": SOC, "to": [{"address": ALERTS}], "subject": "x", "body": "y"}
    missing = await http.post("/mail-api/inbound", json=body)
    wrong = await http.post("/mail-api/inbound", json=body, headers={"X-Mail-Key": "nope"})

    assert (missing.status_code, wrong.status_code) == (401, 401)
