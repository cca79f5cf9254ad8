"""The token verifier remembers a verified token briefly, never past its expiry nor for another token."""

import time

import httpx
import jwt
import pytest

from server.auth import oidc
from server.auth.oidc import TokenVerifier
from server.errors import NotAuthenticatedError
from tools.tenant.directory import load_directory
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, issuer_for

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"


@pytest.fixture
async def verifier(tenant_app, tenant_settings):  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=tenant_app)
    async with httpx.AsyncClient(transport=transport) as http:
        issuer = issuer_for(tenant_settings.base_url, load_directory().tenant.id)
        yield TokenVerifier(issuer, ARIANE_API_AUDIENCE, http)


def _signed(tenant_app, token: str, **changes: int) -> str:
    claims = jwt.decode(token, options={"verify_signature": False}) | changes
    key = tenant_app.state.identity.tokens.key
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})


async def test_a_remembered_token_is_refused_once_it_expires(verifier, token_for, tenant_app, monkeypatch):
    now = int(time.time())
    # Expired 30 s ago: still inside the 60 s clock leeway, so accepted (and remembered).
    token = _signed(tenant_app, token_for(CLAIRE), exp=now - 30, iat=now - 600)
    assert (await verifier.verify(token))["preferred_username"] == CLAIRE

    monkeypatch.setattr(oidc, "_CLOCK_LEEWAY_SECONDS", 0)  # the same token, past its expiry now

    with pytest.raises(NotAuthenticatedError) as refused:
        await verifier.verify(token)
    assert refused.value.code == "token_expired"


async def test_a_remembered_token_does_not_vouch_for_a_tampered_copy(verifier, token_for):
    token = token_for(CLAIRE)
    assert (await verifier.verify(token))["preferred_username"] == CLAIRE
    header, _payload, signature = token.split(".")
    forged_claims = jwt.decode(token, options={"verify_signature": False}) | {"groups": ["admins"]}
    forged_payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(forged_claims).encode()).decode()

    with pytest.raises(NotAuthenticatedError) as refused:
        await verifier.verify(f"{header}.{forged_payload}.{signature}")
    assert refused.value.code == "invalid_token"


async def test_claims_handed_out_are_copies(verifier, token_for):
    token = token_for(CLAIRE)
    first = await verifier.verify(token)
    first["groups"] = ["admins"]

    assert (await verifier.verify(token)).get("groups") != ["admins"]
