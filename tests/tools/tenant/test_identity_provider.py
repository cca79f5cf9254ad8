import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from tools.tenant.identity.issuer import GRAPH_AUDIENCE

pytestmark = pytest.mark.anyio

TENANT_ID = "60df27bd-b518-59d6-aba5-446f062e98c1"
AUTHORIZE = f"/{TENANT_ID}/oauth2/v2.0/authorize"
TOKEN = f"/{TENANT_ID}/oauth2/v2.0/token"
REDIRECT = "http://127.0.0.1:8000/auth/callback"


@pytest.fixture
async def idp(tenant_app):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=tenant_app), base_url="http://127.0.0.1:8001"
    ) as c:
        yield c


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _authorize_params(challenge: str, redirect_uri: str = REDIRECT) -> dict[str, str]:
    return {
        "client_id": "ariane-web",
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": "openid profile email api://ariane/access_as_user",
        "state": "state-123",
        "nonce": "nonce-456",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


async def _sign_in(idp: httpx.AsyncClient, email: str, challenge: str) -> str:
    response = await idp.post(AUTHORIZE, data=_authorize_params(challenge) | {"login_hint": email})
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    assert query["state"] == ["state-123"]
    return query["code"][0]


async def _redeem(idp: httpx.AsyncClient, code: str, verifier: str) -> httpx.Response:
    return await idp.post(
        TOKEN,
        data={
            "grant_type": "authorization_code",
            "client_id": "ariane-web",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
    )


async def test_discovery_document_points_at_the_provider_endpoints(idp):
    response = await idp.get(f"/{TENANT_ID}/v2.0/.well-known/openid-configuration")

    body = response.json()
    assert body["issuer"] == f"http://127.0.0.1:8001/{TENANT_ID}/v2.0"
    assert body["authorization_endpoint"] == f"http://127.0.0.1:8001{AUTHORIZE}"
    assert body["token_endpoint"] == f"http://127.0.0.1:8001{TOKEN}"
    assert body["code_challenge_methods_supported"] == ["S256"]
    keys = (await idp.get(urlsplit(body["jwks_uri"]).path)).json()["keys"]
    assert [(key["kty"], key["alg"], key["use"]) for key in keys] == [("RSA", "RS256", "sig")]


async def test_sign_in_page_lists_the_directory_users_as_buttons(idp):
    _, challenge = _pkce()

    response = await idp.get(AUTHORIZE, params=_authorize_params(challenge))

    assert response.status_code == 200
    assert "<title>Connexion — CHRU Exemple</title>" in response.text
    assert 'name="login_hint" value="claire.dubois@chru-exemple.fr"' in response.text
    assert response.text.count('name="login_hint"') == 12


async def test_authorization_code_flow_with_pkce_gives_an_ariane_token_for_the_chosen_user(idp, tenant_app):
    verifier, challenge = _pkce()
    code = await _sign_in(idp, "claire.dubois@chru-exemple.fr", challenge)

    response = await _redeem(idp, code, verifier)

    assert response.status_code == 200
    body = response.json()
    assert (body["token_type"], body["scope"], body["expires_in"]) == (
        "Bearer",
        "api://ariane/access_as_user",
        3600,
    )
    key = tenant_app.state.identity.tokens.key.private_key.public_key()
    access = jwt.decode(body["access_token"], key, algorithms=["RS256"], audience="api://ariane")
    assert (access["preferred_username"], access["name"], access["scp"]) == (
        "claire.dubois@chru-exemple.fr",
        "Claire Dubois",
        "access_as_user",
    )
    id_token = jwt.decode(body["id_token"], key, algorithms=["RS256"], audience="ariane-web")
    assert id_token["nonce"] == "nonce-456"


async def test_a_code_is_refused_with_a_wrong_verifier_and_cannot_be_redeemed_twice(idp):
    verifier, challenge = _pkce()
    code = await _sign_in(idp, "claire.dubois@chru-exemple.fr", challenge)

    wrong = await _redeem(idp, code, "x" * 50)
    retry = await _redeem(idp, code, verifier)

    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")
    assert (retry.status_code, retry.json()["error"]) == (400, "invalid_grant")


async def test_a_verifier_that_is_not_ascii_is_an_invalid_grant_not_a_crash(idp):
    _, challenge = _pkce()
    code = await _sign_in(idp, "claire.dubois@chru-exemple.fr", challenge)

    response = await _redeem(idp, code, "é" * 50)

    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")


async def test_an_unknown_user_cannot_sign_in(idp):
    _, challenge = _pkce()

    response = await idp.post(
        AUTHORIZE, data=_authorize_params(challenge) | {"login_hint": "inconnu@chru-exemple.fr"}
    )

    assert response.status_code == 400
    assert "existe pas dans l&#x27;annuaire" in response.text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"redirect_uri": "https://evil.example/auth/callback"}, "not registered"),
        # urlsplit reads 127.0.0.1 as the host of both; a browser may not.
        ({"redirect_uri": "http://evil.example\\@127.0.0.1:8000/auth/callback"}, "not registered"),
        ({"redirect_uri": "http://user@127.0.0.1:8000/auth/callback"}, "not registered"),
        ({"client_id": "unknown-app"}, "Unknown application"),
        ({"code_challenge": ""}, "PKCE"),
        ({"response_type": "token"}, "authorization code"),
    ],
)
async def test_malformed_authorize_requests_are_refused_before_showing_users(idp, change, expected):
    import re

    _, challenge = _pkce()

    response = await idp.get(AUTHORIZE, params=_authorize_params(challenge) | change)

    assert response.status_code == 400
    assert re.search(expected, response.text)
    assert 'name="login_hint"' not in response.text


async def _ariane_token(idp: httpx.AsyncClient, email: str) -> str:
    verifier, challenge = _pkce()
    code = await _sign_in(idp, email, challenge)
    return str((await _redeem(idp, code, verifier)).json()["access_token"])


async def test_on_behalf_of_exchange_gives_a_microsoft_365_token_for_the_same_user(idp, tenant_app):
    user_token = await _ariane_token(idp, "karim.haddad@chru-exemple.fr")

    response = await idp.post(
        TOKEN,
        data={
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "client_id": "ariane-api",
            "client_secret": "ariane-local-secret",
            "assertion": user_token,
            "scope": "https://graph.microsoft.com/.default",
            "requested_token_use": "on_behalf_of",
        },
    )

    assert response.status_code == 200
    key = tenant_app.state.identity.tokens.key.private_key.public_key()
    graph = jwt.decode(response.json()["access_token"], key, algorithms=["RS256"], audience=GRAPH_AUDIENCE)
    assert graph["preferred_username"] == "karim.haddad@chru-exemple.fr"


@pytest.mark.parametrize(
    ("secret", "assertion", "status", "error"),
    [
        ("wrong-secret", "user", 401, "invalid_client"),
        ("ariane-local-secret", "forged", 400, "invalid_grant"),
    ],
)
async def test_on_behalf_of_refuses_bad_client_secrets_and_forged_assertions(
    idp, secret, assertion, status, error
):
    user_token = await _ariane_token(idp, "karim.haddad@chru-exemple.fr")
    assertion_value = user_token if assertion == "user" else user_token[:-6] + "abcdef"

    response = await idp.post(
        TOKEN,
        data={
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "client_id": "ariane-api",
            "client_secret": secret,
            "assertion": assertion_value,
            "scope": "https://graph.microsoft.com/.default",
        },
    )

    assert (response.status_code, response.json()["error"]) == (status, error)


async def test_token_from_the_sign_in_flow_is_accepted_by_ariane(idp, api):
    token = await _ariane_token(idp, "sophie.girard@chru-exemple.fr")

    response = await api.get("/api/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert response.json()["roles"] == ["staff", "tool_developer"]


async def test_signing_key_is_created_once_and_kept_across_restarts(tenant_settings):
    from tools.tenant.app import create_tenant_app

    first = create_tenant_app(tenant_settings).state.identity.tokens.key.kid
    second = create_tenant_app(tenant_settings).state.identity.tokens.key.kid

    assert first == second
    assert (tenant_settings.data_dir / "identity" / "signing-key.pem").stat().st_mode & 0o777 == 0o600
