"""The audit trail keeps no secret, is not filled by strangers, and no caller joins a run's trace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from server.audit.recorder import MASK, Redactor

pytestmark = pytest.mark.anyio

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGFpcmUifQ.c2lnbmF0dXJlLWRlLXRlc3Q"


@pytest.mark.parametrize(
    "hidden",
    [
        f"{JWT[:12]}\n{JWT[12:]}",  # cut by a line break
        f"e\ny{JWT[2:]}",  # cut inside its first letters
        f"{JWT[:20]}\u200b{JWT[20:]}",  # a zero-width space
        JWT.replace(".", "%2E"),  # dots percent-encoded
        JWT.replace(".", "%2e"),
        f"{JWT[:30]}\r\n  {JWT[30:]}",
        "sk-abcdefgh\nijklmnop0123",
    ],
)
def test_tokens_split_or_encoded_are_masked_whole(hidden: str) -> None:
    redact = Redactor.of([])
    recorded = {"message": f"mon jeton : {hidden} merci"}
    masked = redact(recorded)
    assert masked == {"message": f"mon jeton : {MASK} merci"}
    assert MASK in redact.rendered(recorded)


def test_secrets_in_urls_keys_and_secret_fields_are_masked() -> None:
    redact = Redactor.of([])
    recorded = {
        "url": f"https://ariane.test/api/me?access_token={JWT}&page=2",
        "callback": "https://ariane.test/auth?code=splxlOBeZQQYbYS6WxSbIA&state=xyz",
        "arguments": {JWT: "valeur", "ordinary": "texte"},
        "headers": {"Authorization": "Basic Zm9vOmJhcg==", "X-Api-Key": "opaque-key-1234"},
        "form": {"client_secret": "s3cr3t", "password": "hunter2"},
    }
    assert redact(recorded) == {
        "url": f"https://ariane.test/api/me?access_token={MASK}&page=2",
        "callback": f"https://ariane.test/auth?code={MASK}&state=xyz",
        "arguments": {MASK: "valeur", "ordinary": "texte"},
        "headers": {"Authorization": MASK, "X-Api-Key": MASK},
        "form": {"client_secret": MASK, "password": MASK},
    }
    assert redact.rendered(recorded) == redact.rendered(redact(recorded))


async def test_a_token_in_a_url_query_is_not_stored_in_the_request_span(
    ariane: httpx.AsyncClient, headers: Callable[[str], dict[str, str]], store: Any, settle: Callable[[], Any]
) -> None:
    await ariane.get(f"/api/threads?access_token={JWT}", headers=headers("claire.dubois"))
    await settle()
    bodies = [row[0] for row in store.execute("SELECT body FROM audit_records WHERE kind = 'span'")]
    assert any("access_token=" in body for body in bodies)
    assert not [body for body in bodies if JWT in body or "c2lnbmF0dXJlLWRlLXRlc3Q" in body]


async def test_unauthenticated_requests_do_not_fill_the_store(
    ariane: httpx.AsyncClient, store: Any, settle: Callable[[], Any]
) -> None:
    before = store.execute("SELECT count(*) FROM audit_records").fetchone()[0]
    for _ in range(50):
        response = await ariane.get("/api/threads", headers={"Authorization": "Bearer forged"})
        assert response.status_code == 401
    for _ in range(20):
        assert (await ariane.post("/v1/chat/completions", json={})).status_code == 401
    await settle()
    after = store.execute("SELECT count(*) FROM audit_records").fetchone()[0]
    assert after - before <= 2  # one sample per minute and process, counting the others


async def test_a_forged_traceparent_never_joins_a_runs_trace(
    ask: Callable[..., Any],
    ariane: httpx.AsyncClient,
    headers: Callable[[str], dict[str, str]],
    store: Any,
    settle: Callable[[], Any],
) -> None:
    run = await ask("claire.dubois")
    (trace_id,) = store.execute(
        "SELECT DISTINCT trace_id FROM audit_records WHERE run_id = %s", (run["id"],)
    ).fetchone()
    before = store.execute("SELECT count(*) FROM audit_records WHERE trace_id = %s", (trace_id,)).fetchone()[
        0
    ]
    forged = {"traceparent": f"00-{trace_id}-{'a1' * 8}-01"}
    for url in ("/api/threads", "/api/me"):
        await ariane.get(url, headers=headers("thomas.roux") | forged)
    await ariane.post(
        "/v1/embeddings",
        json={"model": "all-minilm-l6-v2", "input": "Bonjour"},
        headers=headers("thomas.roux") | forged,
    )
    await settle()
    after = store.execute("SELECT count(*) FROM audit_records WHERE trace_id = %s", (trace_id,)).fetchone()[0]
    assert after == before
