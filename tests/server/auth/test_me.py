import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tools.tenant.identity.issuer import GRAPH_AUDIENCE

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_me_returns_the_signed_in_user_with_roles_from_group_claims(api, token_for):
    response = await api.get("/api/me", headers=_bearer(token_for("thomas.roux@chru-exemple.fr")))

    assert response.status_code == 200
    body = response.json()
    assert body.pop("id")
    assert body == {
        "email": "thomas.roux@chru-exemple.fr",
        "display_name": "Thomas Roux",
        "job_title": "Coordinateur IA",
        "service": "DTNIB",
        "job_category": "Ingénieurs et techniciens",
        "roles": ["staff", "ai_admin"],
    }


async def test_auditor_without_staff_group_gets_only_the_auditor_role(api, token_for):
    response = await api.get("/api/me", headers=_bearer(token_for("anne.lambert@chru-exemple.fr")))

    assert response.json()["roles"] == ["auditor"]


async def test_a_user_keeps_the_same_id_across_requests(api, token_for):
    first = await api.get("/api/me", headers=_bearer(token_for(CLAIRE)))
    second = await api.get("/api/me", headers=_bearer(token_for(CLAIRE)))
    other = await api.get("/api/me", headers=_bearer(token_for("karim.haddad@chru-exemple.fr")))

    assert first.json()["id"] == second.json()["id"] != other.json()["id"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz"])
async def test_api_requires_a_bearer_token(api, header):
    headers = {"Authorization": header} if header else {}

    response = await api.get("/api/me", headers=headers)

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def _claims_of(token: str) -> dict[str, object]:
    return jwt.decode(token, options={"verify_signature": False})


def _resign(tenant_app, claims: dict[str, object], key=None, kid=None) -> str:
    signing = tenant_app.state.identity.tokens.key
    return jwt.encode(
        claims, key or signing.private_key, algorithm="RS256", headers={"kid": kid or signing.kid}
    )


async def test_expired_token_is_refused_with_token_expired(api, token_for, tenant_app):
    claims = _claims_of(token_for(CLAIRE)) | {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}

    response = await api.get("/api/me", headers=_bearer(_resign(tenant_app, claims)))

    assert (response.status_code, response.json()["error"]) == (401, "token_expired")


async def test_token_signed_with_another_key_is_refused(api, token_for, tenant_app):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = _resign(tenant_app, _claims_of(token_for(CLAIRE)) | {"name": "Quelqu'un d'autre"}, key=forger)

    response = await api.get("/api/me", headers=_bearer(forged))

    assert (response.status_code, response.json()["error"]) == (401, "invalid_token")


async def test_token_with_tampered_payload_is_refused(api, token_for):
    header, payload, signature = token_for(CLAIRE).split(".")
    tampered = ".".join([header, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), signature])

    response = await api.get("/api/me", headers=_bearer(tampered))

    assert (response.status_code, response.json()["error"]) == (401, "invalid_token")


async def test_token_from_another_issuer_is_refused(api, token_for, tenant_app):
    claims = _claims_of(token_for(CLAIRE)) | {"iss": "https://login.example.org/other/v2.0"}

    response = await api.get("/api/me", headers=_bearer(_resign(tenant_app, claims)))

    assert (response.status_code, response.json()["error"]) == (401, "wrong_issuer")


async def test_token_for_another_audience_is_refused(api, token_for, tenant_app):
    claims = _claims_of(token_for(CLAIRE)) | {"aud": GRAPH_AUDIENCE}

    response = await api.get("/api/me", headers=_bearer(_resign(tenant_app, claims)))

    assert (response.status_code, response.json()["error"]) == (401, "wrong_audience")


async def test_garbage_token_is_refused(api):
    response = await api.get("/api/me", headers=_bearer("not-a-jwt"))

    assert (response.status_code, response.json()["error"]) == (401, "invalid_token")


async def test_a_refused_token_is_explained_in_english_when_the_client_asks_for_it(api):
    french = await api.get("/api/me", headers=_bearer("not-a-jwt"))
    english = await api.get("/api/me", headers=_bearer("not-a-jwt") | {"Accept-Language": "en"})

    assert [french.json()["detail"], english.json()["detail"]] == [
        "Jeton d'accès illisible.",
        "Unreadable access token.",
    ]


async def test_unreachable_identity_provider_gives_503_not_a_crash(settings, token_for):
    from server.app import create_app

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    app = create_app(settings, identity_transport=httpx.MockTransport(refuse))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            response = await client.get("/api/me", headers=_bearer(token_for(CLAIRE)))

    assert (response.status_code, response.json()["error"]) == (503, "identity_provider_unavailable")


async def test_auth_config_is_public_and_names_the_embedded_issuer(api):
    response = await api.get("/auth/config")

    assert response.status_code == 200
    assert response.json() == {
        "issuer": "http://127.0.0.1:8001/60df27bd-b518-59d6-aba5-446f062e98c1/v2.0",
        "client_id": "ariane-web",
        "scope": "openid profile email offline_access api://ariane/access_as_user",
        "redirect_path": "/auth/callback",
        "link_hosts": ["chru-exemple.fr", ".chru-exemple.fr"],
        "document_viewer": True,
    }
