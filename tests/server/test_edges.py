"""The edges of every route: size limits, NUL and lone surrogates, security headers, the docs page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from server.app import create_app
from server.settings import Settings

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"


@pytest.fixture
async def app_of(settings: Settings, tenant_app: Any) -> Callable[..., Any]:
    def make(**updates: Any) -> Any:
        return create_app(
            settings.model_copy(update=updates), identity_transport=httpx.ASGITransport(app=tenant_app)
        )

    return make


@pytest.fixture
async def ariane(app_of: Callable[..., Any]) -> AsyncIterator[httpx.AsyncClient]:
    app = app_of(max_body_bytes=64 * 1024)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ariane.test") as client,
    ):
        yield client


@pytest.fixture
def bearer(token_for: Callable[[str], str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(CLAIRE)}"}


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "r\\u00e9union\\u0000"}',  # NUL, escaped
        b'{"title": "\\ud800 seul"}',  # a lone high surrogate
        b'{"title": "fin \\udc00"}',  # a lone low surrogate
    ],
)
async def test_nul_and_lone_surrogates_in_a_json_body_are_refused_with_400(
    ariane: httpx.AsyncClient, bearer: dict[str, str], body: bytes
) -> None:
    response = await ariane.post(
        "/api/threads", content=body, headers={**bearer, "Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


async def test_a_valid_surrogate_pair_passes(ariane: httpx.AsyncClient, bearer: dict[str, str]) -> None:
    body = b'{"title": "bravo \\ud83d\\ude00"}'
    response = await ariane.post(
        "/api/threads", content=body, headers={**bearer, "Content-Type": "application/json"}
    )
    assert response.status_code == 201
    assert response.json()["title"] == "bravo \U0001f600"


@pytest.mark.parametrize("url", ["/api/threads/%00", "/api/audit/runs?user=%00", "/api/threads/%ED%A0%80"])
async def test_nul_and_invalid_unicode_in_the_address_are_refused_with_400(
    ariane: httpx.AsyncClient, bearer: dict[str, str], url: str
) -> None:
    response = await ariane.get(url, headers=bearer)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


async def test_deeply_nested_json_is_refused_on_api_and_v1(
    ariane: httpx.AsyncClient, bearer: dict[str, str]
) -> None:
    deep = b"[" * 5_000 + b"]" * 5_000
    api = await ariane.post(
        "/api/threads",
        content=b'{"title": ' + deep + b"}",
        headers={**bearer, "Content-Type": "application/json"},
    )
    assert (api.status_code, api.json()["error"]) == (400, "invalid_request")
    body = (
        b'{"model": "mistral-small-hds", "messages": [{"role": "user", "content": "x"}], "x": ' + deep + b"}"
    )
    v1 = await ariane.post(
        "/v1/chat/completions", content=body, headers={**bearer, "Content-Type": "application/json"}
    )
    assert (v1.status_code, v1.json()["error"]["type"]) == (400, "invalid_request_error")


async def test_a_body_past_the_limit_is_refused_with_413_on_every_route(
    ariane: httpx.AsyncClient, bearer: dict[str, str]
) -> None:
    big = b'{"title": "' + b"x" * 70_000 + b'"}'
    for url in ("/api/threads", "/api/assistants", "/api/admin/gateway/policy"):
        response = await ariane.post(url, content=big, headers={**bearer, "Content-Type": "application/json"})
        assert (response.status_code, response.json()["error"]) == (413, "payload_too_large"), url


async def test_too_many_or_too_large_headers_are_refused_with_431(
    ariane: httpx.AsyncClient, bearer: dict[str, str]
) -> None:
    many = {f"X-Extra-{n}": "1" for n in range(120)}
    assert (await ariane.get("/api/me", headers={**bearer, **many})).status_code == 431
    large = {"X-Large": "x" * 20_000}
    assert (await ariane.get("/api/me", headers={**bearer, **large})).status_code == 431


async def test_the_edge_refusals_are_in_french_by_default_and_in_english_when_asked(
    ariane: httpx.AsyncClient, bearer: dict[str, str]
) -> None:
    json = {**bearer, "Content-Type": "application/json"}
    english = {**json, "Accept-Language": "en"}
    nul = b'{"title": "r\\u0000"}'
    big = b'{"title": "' + b"x" * 70_000 + b'"}'

    french_nul = await ariane.post("/api/threads", content=nul, headers=json)
    english_nul = await ariane.post("/api/threads", content=nul, headers=english)
    english_big = await ariane.post("/api/threads", content=big, headers=english)
    english_path = await ariane.get("/api/threads/%00", headers={**bearer, "Accept-Language": "en"})

    assert french_nul.json() == {
        "error": "invalid_request",
        "detail": "Le texte envoyé contient un caractère nul (U+0000), refusé.",
    }
    assert english_nul.json() == {
        "error": "invalid_request",
        "detail": "The text sent contains a null character (U+0000): refused.",
    }
    assert english_big.json() == {
        "error": "payload_too_large",
        "detail": "The request exceeds the maximum size accepted (64 KiB).",
    }
    assert english_path.json()["detail"] == (
        "The address contains a null character or an invalid Unicode sequence: refused."
    )


@pytest.mark.parametrize("url", ["/", "/api/me", "/healthz", "/openapi.json", "/v1/models", "/nowhere"])
async def test_every_answer_carries_the_security_headers(ariane: httpx.AsyncClient, url: str) -> None:
    headers = (await ariane.get(url)).headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in policy
    assert (headers["x-frame-options"], headers["x-content-type-options"], headers["referrer-policy"]) == (
        "DENY",
        "nosniff",
        "no-referrer",
    )


async def test_the_docs_are_off_by_default_and_local_when_on(app_of: Callable[..., Any]) -> None:
    for enabled in (False, True):
        app = app_of(api_docs=enabled)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://ariane.test"
            ) as client,
        ):
            page = await client.get("/docs")
            if not enabled:
                assert page.status_code == 404
                continue
            assert page.status_code == 200
            assert "http" not in page.text  # every asset from Ariane itself: no CDN
            assert "<script>" not in page.text  # no inline script (the CSP forbids it)
            for asset in (
                "/docs/assets/swagger-ui-bundle.js",
                "/docs/init.js",
                "/docs/assets/swagger-ui.css",
            ):
                assert (await client.get(asset)).status_code == 200
