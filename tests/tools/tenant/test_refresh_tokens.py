"""Silent renewal of the web app's sign-in: refresh tokens of the local provider."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from tools.tenant.identity import refresh as refresh_module
from tools.tenant.identity.issuer import IdentityError
from tools.tenant.identity.refresh import RefreshTokenStore

pytestmark = pytest.mark.anyio

TENANT_ID = "60df27bd-b518-59d6-aba5-446f062e98c1"
AUTHORIZE = f"/{TENANT_ID}/oauth2/v2.0/authorize"
TOKEN = f"/{TENANT_ID}/oauth2/v2.0/token"
REVOKE = f"/{TENANT_ID}/oauth2/v2.0/revoke"
REDIRECT = "http://127.0.0.1:8000/auth/callback"
WEB_SCOPE = "openid profile email offline_access api://ariane/access_as_user"


@pytest.fixture
async def idp(tenant_app):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=tenant_app), base_url="http://127.0.0.1:8001"
    ) as c:
        yield c


async def _sign_in(idp: httpx.AsyncClient, scope: str = WEB_SCOPE) -> dict[str, object]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "client_id": "ariane-web",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": scope,
        "state": "s",
        "nonce": "n",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "login_hint": "claire.dubois@chru-exemple.fr",
    }
    chosen = await idp.post(AUTHORIZE, data=params)
    code = parse_qs(urlsplit(chosen.headers["location"]).query)["code"][0]
    redeemed = await idp.post(
        TOKEN,
        data={
            "grant_type": "authorization_code",
            "client_id": "ariane-web",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
    )
    assert redeemed.status_code == 200
    body: dict[str, object] = redeemed.json()
    return body


async def _refresh(idp: httpx.AsyncClient, token: object, **extra: str) -> httpx.Response:
    data = {"grant_type": "refresh_token", "client_id": "ariane-web", "refresh_token": str(token)}
    return await idp.post(TOKEN, data=data | extra)


async def test_discovery_offers_the_refresh_grant_and_a_revocation_endpoint(idp):
    body = (await idp.get(f"/{TENANT_ID}/v2.0/.well-known/openid-configuration")).json()

    assert "refresh_token" in body["grant_types_supported"]
    assert body["revocation_endpoint"] == f"http://127.0.0.1:8001{REVOKE}"


async def test_a_refresh_token_is_issued_only_when_offline_access_is_asked_for(idp):
    with_offline = await _sign_in(idp)
    without = await _sign_in(idp, "openid profile email api://ariane/access_as_user")

    assert isinstance(with_offline["refresh_token"], str)
    assert "refresh_token" not in without


async def test_a_refresh_gives_new_tokens_for_the_same_user_that_ariane_accepts(idp, tenant_app, api):
    signed_in = await _sign_in(idp)

    response = await _refresh(idp, signed_in["refresh_token"], scope="api://ariane/access_as_user")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (body["token_type"], body["scope"], body["expires_in"]) == (
        "Bearer",
        "api://ariane/access_as_user",
        3600,
    )
    assert body["refresh_token"] != signed_in["refresh_token"]
    key = tenant_app.state.identity.tokens.key.private_key.public_key()
    access = jwt.decode(body["access_token"], key, algorithms=["RS256"], audience="api://ariane")
    identity = jwt.decode(body["id_token"], key, algorithms=["RS256"], audience="ariane-web")
    assert (access["preferred_username"], access["azp"], identity["sub"]) == (
        "claire.dubois@chru-exemple.fr",
        "ariane-web",
        access["oid"],
    )
    assert "nonce" not in identity
    me = await api.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["email"] == "claire.dubois@chru-exemple.fr"


async def test_a_used_refresh_token_replayed_revokes_the_whole_session(idp):
    signed_in = await _sign_in(idp)
    renewed = (await _refresh(idp, signed_in["refresh_token"])).json()

    replayed = await _refresh(idp, signed_in["refresh_token"])
    latest = await _refresh(idp, renewed["refresh_token"])

    assert (replayed.status_code, replayed.json()["error"]) == (400, "invalid_grant")
    assert (latest.status_code, latest.json()["error"]) == (400, "invalid_grant")


async def test_a_refused_renewal_leaves_the_refresh_token_usable(idp):
    signed_in = await _sign_in(idp)

    other_client = await _refresh(idp, signed_in["refresh_token"], client_id="ariane-api")
    wider_scope = await _refresh(
        idp, signed_in["refresh_token"], scope="https://graph.microsoft.com/.default"
    )
    missing = await idp.post(TOKEN, data={"grant_type": "refresh_token", "client_id": "ariane-web"})
    after = await _refresh(idp, signed_in["refresh_token"])

    assert (other_client.status_code, other_client.json()["error"]) == (400, "unauthorized_client")
    assert (wider_scope.status_code, wider_scope.json()["error"]) == (400, "invalid_scope")
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    assert after.status_code == 200


async def test_revocation_ends_the_session_and_unknown_tokens_are_answered_alike(idp):
    signed_in = await _sign_in(idp)
    renewed = (await _refresh(idp, signed_in["refresh_token"])).json()

    revoked = await idp.post(
        REVOKE,
        data={
            "token": renewed["refresh_token"],
            "token_type_hint": "refresh_token",
            "client_id": "ariane-web",
        },
    )
    unknown = await idp.post(REVOKE, data={"token": "not-a-token", "client_id": "ariane-web"})
    after = await _refresh(idp, renewed["refresh_token"])

    assert (revoked.status_code, revoked.content) == (200, b"")
    assert unknown.status_code == 200
    assert (after.status_code, after.json()["error"]) == (400, "invalid_grant")


async def test_only_the_web_client_may_revoke_its_refresh_tokens(idp):
    signed_in = await _sign_in(idp)

    refused = await idp.post(REVOKE, data={"token": signed_in["refresh_token"], "client_id": "ariane-api"})
    after = await _refresh(idp, signed_in["refresh_token"])

    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    assert after.status_code == 200


def test_a_session_ends_at_its_fixed_lifetime_however_often_it_is_renewed(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(refresh_module.time, "time", lambda: now[0])
    store = RefreshTokenStore(lifetime_seconds=600)
    token = store.issue(user_id="u1", client_id="ariane-web", scope=WEB_SCOPE)
    for _ in range(3):
        now[0] += 150
        _, token = store.rotate(token, client_id="ariane-web")

    now[0] += 151  # 601 s after the sign-in

    with pytest.raises(IdentityError) as refused:
        store.rotate(token, client_id="ariane-web")
    assert refused.value.error == "invalid_grant"


def test_the_store_keeps_digests_never_the_tokens_themselves():
    store = RefreshTokenStore(lifetime_seconds=600)
    first = store.issue(user_id="u1", client_id="ariane-web", scope=WEB_SCOPE)
    _, second = store.rotate(first, client_id="ariane-web")

    kept = repr(store.__dict__)

    assert first not in kept
    assert second not in kept


def test_a_session_renewed_in_a_loop_does_not_grow_the_store_and_a_recent_replay_still_revokes(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(refresh_module.time, "time", lambda: now[0])
    store = RefreshTokenStore(lifetime_seconds=600)
    ended = store.issue(user_id="u0", client_id="ariane-web", scope=WEB_SCOPE)
    now[0] += 601  # another user's session past its end: forgotten, not kept forever
    token = store.issue(user_id="u1", client_id="ariane-web", scope=WEB_SCOPE)
    retired = []
    for _ in range(10 * refresh_module.RETIRED_KEPT):
        retired.append(token)
        _, token = store.rotate(token, client_id="ariane-web")

    assert len(store._tokens) == refresh_module.RETIRED_KEPT + 1
    with pytest.raises(IdentityError):
        store.rotate(ended, client_id="ariane-web")
    with pytest.raises(IdentityError, match="already used"):
        store.rotate(retired[-1], client_id="ariane-web")
    with pytest.raises(IdentityError):  # the replay revoked the session
        store.rotate(token, client_id="ariane-web")
