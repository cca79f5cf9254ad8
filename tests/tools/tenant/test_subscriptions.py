"""Change notifications on messages (`/v1.0/subscriptions`): handshake, bounds, access, deliveries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response

from tests.live_server import serve_on_loopback
from tools.tenant.app import create_tenant_app
from tools.tenant.graph.notifier import Notifier
from tools.tenant.graph.subscription_store import Subscription, Subscriptions
from tools.tenant.identity.issuer import API_CLIENT_ID, GRAPH_AUDIENCE, GRAPH_SCOPES
from tools.tenant.settings import TenantSettings

pytestmark = pytest.mark.anyio
ALERTS = "alertes-securite@chru-exemple.fr"
MAIL_KEY = {"X-Mail-Key": "ariane-mail-local-key"}
INBOX = f"users/{ALERTS}/mailFolders('inbox')/messages"


@dataclass
class Subscriber:
    """A fake notification endpoint (test only): echoes tokens at `/ok`, refuses them at `/refuse`."""

    url: str = ""
    tokens: list[str] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    failures_left: int = 0

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/ok")
        async def ok(request: Request) -> Response:
            token = request.query_params.get("validationToken")
            if token is not None:
                self.tokens.append(token)
                return PlainTextResponse(token)
            if self.failures_left:
                self.failures_left -= 1
                return Response(status_code=503)
            self.received.append(await request.json())
            return Response(status_code=202)

        @app.post("/refuse")
        async def refuse(request: Request) -> Response:
            return Response('{"token": "no"}', media_type="application/json")

        return app


@pytest.fixture
async def subscriber() -> AsyncIterator[Subscriber]:
    found = Subscriber()
    async with serve_on_loopback(found.app()) as url:
        found.url = url
        yield found


@pytest.fixture
async def http(tenant_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=tenant_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8001") as client:
        yield client


@pytest.fixture
async def app_headers(http: httpx.AsyncClient, tenant_app: FastAPI) -> dict[str, str]:
    tenant_id = tenant_app.state.identity.directory.tenant.id
    response = await http.post(
        f"/{tenant_id}/oauth2/v2.0/token",
        data={"grant_type": "client_credentials", "client_id": API_CLIENT_ID,
              "client_secret": "ariane-local-secret", "scope": f"{GRAPH_AUDIENCE}/.default"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _user(tenant_app: FastAPI, name: str) -> dict[str, str]:
    provider = tenant_app.state.identity
    found = provider.directory.user_by_mail(f"{name}@chru-exemple.fr")
    token = provider.tokens.access_token(found, audience=GRAPH_AUDIENCE, scope=GRAPH_SCOPES,
                                         client_id=API_CLIENT_ID)  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


def _in(minutes: int) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def _body(url: str, **changes: Any) -> dict[str, Any]:
    return {"changeType": "created", "notificationUrl": url, "resource": INBOX,
            "expirationDateTime": _in(60), "clientState": "secret-de-test"} | changes  # fmt: skip


async def _until(condition: Any, seconds: float = 30) -> None:
    with anyio.fail_after(seconds):
        while not condition():
            await anyio.sleep(0.05)


async def _deliver(http: httpx.AsyncClient, subject: str) -> str:
    mail = {"from": {"address": "soc@vigiesante-exemple.fr"}, "to": [{"address": ALERTS}],
            "subject": subject, "body": "Alerte."}  # fmt: skip
    response = await http.post("/mail-api/inbound", json=mail, headers=MAIL_KEY)
    assert response.status_code == 200, response.text
    return str(response.json()["delivered"][0]["id"])


async def test_an_application_subscribes_after_the_handshake_is_notified_renews_and_deletes(
    http, app_headers, subscriber, tenant_app
) -> None:
    url = f"{subscriber.url}/ok"
    created = await http.post("/v1.0/subscriptions", json=_body(url), headers=app_headers)
    assert created.status_code == 201, created.text
    subscription = created.json()
    assert len(subscriber.tokens) == 1
    assert (subscription["resource"], subscription["changeType"], subscription["clientState"]) == (
        INBOX, "created", "secret-de-test",
    )  # fmt: skip

    message_id = await _deliver(http, "[Vigie Santé] Compte compromis")
    await _until(lambda: subscriber.received)
    box = tenant_app.state.mail.mailbox(ALERTS)
    (notification,) = subscriber.received[0]["value"]
    assert notification == {
        "subscriptionId": subscription["id"],
        "subscriptionExpirationDateTime": notification["subscriptionExpirationDateTime"],
        "changeType": "created",
        "resource": f"Users/{box.id}/Messages/{message_id}",
        "resourceData": {
            "@odata.type": "#Microsoft.Graph.Message",
            "@odata.id": f"Users/{box.id}/Messages/{message_id}",
            "@odata.etag": notification["resourceData"]["@odata.etag"],
            "id": message_id,
        },
        "clientState": "secret-de-test",
        "tenantId": tenant_app.state.identity.directory.tenant.id,
    }

    path = f"/v1.0/subscriptions/{subscription['id']}"
    later = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    renewed = await http.patch(path, json={"expirationDateTime": later.isoformat()}, headers=app_headers)
    assert (renewed.status_code, renewed.json()["expirationDateTime"]) == (
        200, later.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )  # fmt: skip
    listed = (await http.get("/v1.0/subscriptions", headers=app_headers)).json()["value"]
    assert [s["id"] for s in listed] == [subscription["id"]]
    # Someone else's subscription does not exist for them.
    other = await http.get(path, headers=_user(tenant_app, "paul.henry"))
    assert (other.status_code, other.json()["error"]["code"]) == (404, "ResourceNotFound")

    assert (await http.delete(path, headers=app_headers)).status_code == 204
    gone = await http.get(path, headers=app_headers)
    assert (gone.status_code, gone.json()["error"]["code"]) == (404, "ResourceNotFound")
    assert (await http.get("/v1.0/subscriptions", headers=app_headers)).json()["value"] == []


async def test_a_notification_url_failing_the_handshake_gets_no_subscription(
    http, app_headers, subscriber
) -> None:
    closed = "http://127.0.0.1:9/nowhere"  # discard port: nothing listens there
    for url in (f"{subscriber.url}/refuse", closed):
        refused = await http.post("/v1.0/subscriptions", json=_body(url), headers=app_headers)
        assert (refused.status_code, refused.json()["error"]["code"]) == (400, "ValidationError"), url
    assert (await http.get("/v1.0/subscriptions", headers=app_headers)).json()["value"] == []


async def test_subscriptions_are_bounded_and_checked_like_mail_reads(
    http, app_headers, subscriber, tenant_app
) -> None:
    url = f"{subscriber.url}/ok"
    cases = [
        (_body(url, expirationDateTime=_in(10_081)), app_headers, 400, "ExtensionError"),
        (_body(url, expirationDateTime=_in(-1)), app_headers, 400, "BadRequest"),
        (_body(url, changeType="updated"), app_headers, 400, "BadRequest"),
        (_body(url, resource="users/x/events"), app_headers, 400, "BadRequest"),
        (_body("file:///etc/passwd"), app_headers, 400, "BadRequest"),
        (_body(url, resource="users/paul.henry@chru-exemple.fr/messages"), app_headers, 403,
         "ErrorAccessDenied"),
        (_body(url, resource=f"users/{ALERTS}/mailFolders('inconnu')/messages"), app_headers, 404,
         "ErrorItemNotFound"),
        (_body(url), {}, 401, "InvalidAuthenticationToken"),
    ]  # fmt: skip
    for body, headers, status, code in cases:
        response = await http.post("/v1.0/subscriptions", json=body, headers=headers)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), body
    assert subscriber.tokens == [], "nothing is validated before the request is found acceptable"
    # The forms Graph accepts: a user's own inbox (delegated), a mailbox by id, every folder.
    box = tenant_app.state.mail.mailbox(ALERTS)
    own = _body(url, resource="me/mailFolders/inbox/messages", expirationDateTime=_in(10_070))
    by_id = _body(url, resource=f"/users('{box.id}')/messages")
    assert (await http.post("/v1.0/subscriptions", json=own, headers=_user(tenant_app, "paul.henry"))
            ).status_code == 201  # fmt: skip
    assert (await http.post("/v1.0/subscriptions", json=by_id, headers=app_headers)).status_code == 201


async def test_subscriptions_outlive_a_restart_of_the_tenant(
    http, app_headers, subscriber, tenant_settings: TenantSettings
) -> None:
    created = await http.post("/v1.0/subscriptions", json=_body(f"{subscriber.url}/ok"), headers=app_headers)
    assert created.status_code == 201, created.text
    restarted = create_tenant_app(tenant_settings)
    assert [s.id for s in restarted.state.subscriptions.owned_by(API_CLIENT_ID)] == [created.json()["id"]]


class RecordingNotifierFake(Notifier):
    """Test fake: records what would be posted instead of posting it."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: list[tuple[str, dict[str, Any]]] = []

    def post(self, url: str, body: dict[str, Any]) -> None:
        self.posted.append((url, body))


async def test_an_expired_subscription_notifies_nothing(tenant_app: FastAPI) -> None:
    notifier = RecordingNotifierFake()
    store = Subscriptions("tenant", notifier=notifier)
    box = tenant_app.state.mail.mailbox(ALERTS)
    now = datetime.now(UTC)
    for name, expiration in (("expired", now - timedelta(seconds=1)), ("active", now + timedelta(hours=1))):
        store.add(Subscription(name, INBOX, "created", f"http://127.0.0.1:1/{name}", None, expiration,
                               API_CLIENT_ID, API_CLIENT_ID, API_CLIENT_ID, box.id, "inbox"))  # fmt: skip
    message = next(m for m in tenant_app.state.mail.messages.values() if m.mailbox_id == box.id)
    store.message_created(message)
    assert [url for url, _ in notifier.posted] == ["http://127.0.0.1:1/active"]
    assert "clientState" not in notifier.posted[0][1]["value"][0]


async def test_a_refused_delivery_is_tried_again(subscriber: Subscriber) -> None:
    subscriber.failures_left = 2
    Notifier(retry_delays=(0.0, 0.0, 0.0)).post(f"{subscriber.url}/ok", {"value": []})
    await _until(lambda: subscriber.received)
    assert (subscriber.received, subscriber.failures_left) == ([{"value": []}], 0)
