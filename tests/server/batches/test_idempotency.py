"""`Idempotency-Key` on `/v1/chat/completions`: a batch row sent again after a crash costs nothing."""

from __future__ import annotations

import asyncio

import pytest

from tests.server.batches.conftest import CLAIRE, INES

pytestmark = pytest.mark.anyio
BODY = {
    "model": "mistral-small-hds",
    "temperature": 0,
    "messages": [{"role": "user", "content": "Bonjour Madame PATIENT0001, votre rendez-vous est confirmé."}],
}


async def _send(client, headers, key, body=BODY):  # type: ignore[no-untyped-def]
    return await client.post("/v1/chat/completions", headers={**headers, "Idempotency-Key": key}, json=body)


async def test_a_repeated_call_under_the_same_key_gets_the_first_answer_without_a_second_model_call(
    client, auth, letters
):
    ines = auth(INES)
    first = await _send(client, ines, "batch-1:7")
    again = await _send(client, ines, "batch-1:7")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert sum(letters.received.values()) == 1
    other_row = await _send(client, ines, "batch-1:8")
    assert other_row.status_code == 200
    assert sum(letters.received.values()) == 2


async def test_a_key_is_the_callers_own_and_never_serves_another_request(client, auth, letters):
    ines, claire = auth(INES), auth(CLAIRE)
    assert (await _send(client, ines, "k-1")).status_code == 200
    changed = {**BODY, "messages": [{"role": "user", "content": "Autre lettre."}]}
    reused = await _send(client, ines, "k-1", changed)
    assert (reused.status_code, reused.json()["error"]["code"]) == (422, "idempotency_key_reused")
    claire_model = {**BODY, "model": "mistral-small"}  # another user's key space: her own call
    theirs = await _send(client, claire, "k-1", claire_model)
    assert theirs.status_code != 422
    too_long = await client.post(
        "/v1/chat/completions", headers={**ines, "Idempotency-Key": "x" * 300}, json=BODY
    )
    assert (too_long.status_code, too_long.json()["error"]["code"]) == (400, "invalid_idempotency_key")


async def test_a_repeat_while_the_first_call_runs_is_told_to_wait_and_a_failed_call_frees_the_key(
    client, auth, letters
):
    ines = auth(INES)
    letters.delay = 0.5
    first = asyncio.create_task(_send(client, ines, "row-3"))
    while not letters.received:  # the first call has reached the model
        await asyncio.sleep(0.01)
    meanwhile = await _send(client, ines, "row-3")
    assert (meanwhile.status_code, meanwhile.json()["error"]["code"]) == (409, "request_in_progress")
    assert int(meanwhile.headers["retry-after"]) >= 1
    assert (await first).status_code == 200
    letters.delay = 0.0

    letters.failures = 10  # the upstream fails: nothing kept, the key is free for the retry
    failed = await _send(client, ines, "row-4")
    assert failed.status_code >= 500
    letters.failures = 0
    retried = await _send(client, ines, "row-4")
    assert retried.status_code == 200
    assert "idempotent-replayed" not in retried.headers


async def test_the_key_goes_on_to_the_upstream_digested_per_caller_so_a_takeover_is_not_generated_twice(
    app, client, auth, letters
):
    ines, claire = auth(INES), auth(CLAIRE)
    assert (await _send(client, ines, "batch-9:1")).status_code == 200
    (forwarded,) = letters.keys
    assert forwarded.startswith("ariane-")
    assert "batch-9" not in forwarded
    claire_model = {**BODY, "model": "mistral-small"}
    assert (await _send(client, claire, "batch-9:1", claire_model)).status_code == 200
    assert len(letters.keys) == 2  # another caller's key is another key upstream
    assert (await client.post("/v1/chat/completions", headers=ines, json=BODY)).status_code == 200
    assert sum(letters.keys.values()) == 2  # no key, none forwarded

    # The first call under "row-5" is held by a process that dies while the model works: its claim
    # has run out (no time at all here), the row is sent again, and the upstream gets the same key.
    _v1(app).state.idempotency_claim_seconds = 0.0
    letters.delay = 0.5
    generated = sum(letters.generated.values())
    first = asyncio.create_task(_send(client, ines, "row-5"))
    while sum(letters.keys.values()) < 3:  # the first call has reached the model
        await asyncio.sleep(0.01)
    again = await _send(client, ines, "row-5")
    first_answer = await first
    assert again.status_code == first_answer.status_code == 200
    assert again.json() == first_answer.json()
    assert "idempotent-replayed" not in again.headers  # the gateway called the upstream again…
    assert sorted(letters.keys.values()) == [1, 1, 2]  # …under the same key…
    assert sum(letters.generated.values()) == generated + 1  # …which generated once


def _v1(app):  # type: ignore[no-untyped-def]
    return next(route.app for route in app.routes if getattr(route, "path", None) == "/v1")
