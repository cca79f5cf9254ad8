"""Batch letters through `/api/batches`: policy per table and per row, runs, 429s, mail-merge."""

from __future__ import annotations

import httpx
import pytest

from tests.fakes.letter_model import letter_for, prompt_key
from tests.server.batches.conftest import BODY, CLAIRE, INES, finished, patients, table_csv, upload

pytestmark = pytest.mark.anyio


def _valid_nir() -> str:
    number = 1841275123456
    return f"1 84 12 75 123 456 {97 - number % 97:02d}"


async def _draft(client, headers, rows, **changes):  # type: ignore[no-untyped-def]
    created = await upload(client, headers, table_csv(rows), data_class=changes.pop("data_class", "health"))
    assert created.status_code == 201, created.text
    batch = created.json()
    patched = await client.patch(
        f"/api/batches/{batch['id']}", headers=headers, json={"body": BODY, **changes}
    )
    return batch, patched


async def test_a_health_table_is_offered_only_the_hds_model_and_a_non_hds_one_is_refused(client, auth):
    ines = auth(INES)
    batch, patched = await _draft(client, ines, patients(3), model="mistral-medium-eu")
    assert patched.status_code == 400
    assert patched.json()["error"] == "data_class_not_allowed"
    options = (await client.get(f"/api/batches/{batch['id']}/models", headers=ines)).json()
    assert [m["id"] for m in options["models"]] == ["mistral-small-hds"]
    assert options["data_class"] == "health"
    assert batch["detected_class"] == "health"  # a name after « Madame » and a pathology: health data


async def test_a_user_without_health_clearance_gets_no_model_and_the_reason(client, auth):
    claire = auth(CLAIRE)
    batch, _ = await _draft(client, claire, patients(2))
    options = (await client.get(f"/api/batches/{batch['id']}/models", headers=claire)).json()
    assert options["models"] == []
    assert "données de santé" in options["reason"]
    assert options["merge_available"] is True


async def test_a_batch_runs_every_row_once_under_the_user_and_ends_completed(app, client, auth, letters):
    ines = auth(INES)
    batch, patched = await _draft(client, ines, patients(12), model="mistral-small-hds")
    assert patched.status_code == 200, patched.text
    launched = await client.post(f"/api/batches/{batch['id']}/launch", headers=ines)
    assert launched.status_code == 200, launched.text
    state = await finished(app, client, ines, batch["id"])
    assert state["status"] == "completed"
    assert state["progress"]["succeeded"] == 12
    assert state["progress"]["done"] == 12
    rows = (await client.get(f"/api/batches/{batch['id']}/rows", headers=ines)).json()
    for row in rows:
        expected_user = f"Bonjour {row['values']['civilite']} {row['values']['nom']},"
        assert row["output"].startswith(letter_for(expected_user))
        assert row["status"] == "done"
        assert row["attempts"] == 1
        assert row["model_used"]
    assert len(letters.received) == 12
    assert set(letters.received.values()) == {1}
    body = letters.bodies[0]
    assert body["temperature"] == 0
    assert body["model"] == "mistralai/Mistral-Small-3.2-24B-Instruct-2506"


async def test_a_row_with_a_nir_in_an_internal_table_is_refused_for_a_non_hds_model(
    app, client, auth, letters
):
    claire = auth(CLAIRE)
    header = ["Nom", "Objet"]
    rows = [
        ["Service intérieur", "Réunion de service"],
        ["Agent", f"Numéro de sécurité sociale {_valid_nir()}"],
        ["Service technique", "Inventaire"],
    ]
    created = await upload(client, claire, table_csv(rows, header), data_class="internal")
    batch = created.json()
    assert batch["data_class"] == "internal"
    assert batch["detected_class"] == "health"
    patched = await client.patch(
        f"/api/batches/{batch['id']}",
        headers=claire,
        json={"body": "Objet : {{objet}} ({{nom}})", "model": "mistral-medium-eu", "review_required": False},
    )
    assert patched.status_code == 200, patched.text
    preview = (await client.post(f"/api/batches/{batch['id']}/preview", headers=claire)).json()
    assert [p["allowed"] for p in preview] == [True, False, True]
    assert preview[1]["findings"] == ["nir"]
    assert preview[1]["data_class"] == "health"
    await client.post(f"/api/batches/{batch['id']}/launch", headers=claire)
    state = await finished(app, client, claire, batch["id"])
    rows_out = (await client.get(f"/api/batches/{batch['id']}/rows", headers=claire)).json()
    assert [r["status"] for r in rows_out] == ["done", "refused", "done"]
    assert rows_out[1]["error_code"] == "data_class_not_allowed"
    assert rows_out[1]["output"] is None
    assert state["status"] == "completed"
    assert state["progress"]["refused"] == 1
    sent = [m["content"] for body in letters.bodies for m in body["messages"]]
    assert not any(_valid_nir() in text for text in sent)  # never sent


class _GatewayTooBusy(httpx.AsyncBaseTransport):
    """The gateway answering 429 (with Retry-After) to the first `count` calls, as under a rate limit."""

    def __init__(self, inner: httpx.AsyncBaseTransport, count: int) -> None:
        self.inner, self.count, self.refused = inner, count, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.refused < self.count:
            self.refused += 1
            error = {
                "error": {
                    "message": "Trop de requêtes",
                    "type": "rate_limit_error",
                    "param": None,
                    "code": "rate_limited",
                }
            }
            return httpx.Response(429, json=error, headers={"Retry-After": "0.05"}, request=request)
        return await self.inner.handle_async_request(request)


async def test_429s_from_the_gateway_slow_the_batch_down_without_failing_it(app, client, auth, letters):
    ines = auth(INES)
    runner = app.state.batch_runs.runner
    busy = runner._inner = _GatewayTooBusy(runner._inner, 3)
    batch, _ = await _draft(client, ines, patients(6), model="mistral-small-hds")
    await client.post(f"/api/batches/{batch['id']}/launch", headers=ines)
    state = await finished(app, client, ines, batch["id"])
    assert busy.refused == 3
    assert state["status"] == "completed"
    assert state["progress"]["succeeded"] == 6
    rows = (await client.get(f"/api/batches/{batch['id']}/rows", headers=ines)).json()
    assert {row["attempts"] for row in rows} == {1}  # a 429 is not an attempt
    assert set(letters.received.values()) == {1}


async def test_upstream_429s_are_retried_by_the_gateway_and_the_batch(app, client, auth, letters):
    ines = auth(INES)
    letters.too_many = 3
    batch, _ = await _draft(client, ines, patients(4), model="mistral-small-hds")
    await client.post(f"/api/batches/{batch['id']}/launch", headers=ines)
    state = await finished(app, client, ines, batch["id"])
    assert state["status"] == "completed"
    assert state["progress"]["succeeded"] == 4


async def test_upstream_failures_are_retried_then_the_row_fails_without_failing_the_batch(
    app, client, auth, letters
):
    ines = auth(INES)
    letters.failures = 3 * 2  # the gateway tries twice per call (one retry); the row three times
    batch, _ = await _draft(client, ines, patients(1), model="mistral-small-hds")
    await client.post(f"/api/batches/{batch['id']}/launch", headers=ines)
    state = await finished(app, client, ines, batch["id"])
    row = (await client.get(f"/api/batches/{batch['id']}/rows", headers=ines)).json()[0]
    assert row["status"] == "failed"
    assert row["attempts"] == 3
    assert state["status"] == "completed"
    assert state["progress"]["failed"] == 1
    resumed = await client.post(f"/api/batches/{batch['id']}/resume", headers=ines)
    assert resumed.status_code == 409  # a completed batch is not resumed


async def test_mail_merge_without_a_model_fills_in_the_skeleton_and_sends_nothing(app, client, auth, letters):
    claire = auth(CLAIRE)
    batch, patched = await _draft(client, claire, patients(4), mode="merge")
    assert patched.status_code == 200, patched.text
    await client.post(f"/api/batches/{batch['id']}/launch", headers=claire)
    state = await finished(app, client, claire, batch["id"])
    rows = (await client.get(f"/api/batches/{batch['id']}/rows", headers=claire)).json()
    assert state["status"] == "completed"
    assert rows[0]["output"] == (
        "Bonjour Madame PATIENT001,\n\nVotre rendez-vous est fixé au 02/12/2026. Venir à jeun."
    )
    assert letters.received == {}
    assert letters.bodies == []


async def test_a_template_naming_a_missing_column_is_refused_before_anything_is_sent(client, auth, letters):
    ines = auth(INES)
    batch, _patched = await _draft(client, ines, patients(2))
    wrong = await client.patch(
        f"/api/batches/{batch['id']}", headers=ines, json={"body": "Bonjour {{prenom}}"}
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"] == "unknown_column"
    assert letters.bodies == []


async def test_pause_keeps_rows_and_resume_finishes_them(app, client, auth, letters):
    ines = auth(INES)
    batch, _ = await _draft(client, ines, patients(5), model="mistral-small-hds")
    await client.post(f"/api/batches/{batch['id']}/launch", headers=ines)
    paused = await client.post(f"/api/batches/{batch['id']}/pause", headers=ines)
    assert paused.status_code in (200, 409)  # 409 when it ended before the pause arrived
    await app.state.batch_runs.wait_idle()
    state = (await client.get(f"/api/batches/{batch['id']}", headers=ines)).json()
    if state["status"] == "paused":
        resumed = await client.post(f"/api/batches/{batch['id']}/resume", headers=ines)
        assert resumed.status_code == 200
        state = await finished(app, client, ines, batch["id"])
    assert state["status"] == "completed"
    assert state["progress"]["succeeded"] == 5
    assert set(letters.received.values()) == {1}
    assert sorted(letters.received) == sorted(prompt_key(b) for b in letters.bodies)


async def test_another_user_cannot_see_a_batch(client, auth):
    batch, _ = await _draft(client, auth(INES), patients(1))
    other = await client.get(f"/api/batches/{batch['id']}", headers=auth(CLAIRE))
    assert other.status_code == 404
    assert other.json()["error"] == "batch_not_found"


async def test_each_row_is_read_by_the_detectors_once_and_the_gateway_decides_on_the_same_reading(
    app, client, auth, letters, monkeypatch
):
    # The runner classifies a row as its `/v1` call will be classified (same texts, the gateway's
    # name book): the gateway then finds the row's findings remembered instead of reading it again.
    from server.gateway import classification

    ines = auth(INES)
    batch, patched = await _draft(client, ines, patients(6), model="mistral-small-hds")
    assert patched.status_code == 200, patched.text
    classification._FINDINGS.clear()  # rows of other tests of this process read the same texts
    readings: list[str] = []
    detect = classification._detect

    def counted(pieces, book, now):  # type: ignore[no-untyped-def]
        readings.extend(views.raw for views in pieces if views.raw.startswith("Bonjour"))
        return detect(pieces, book, now)

    monkeypatch.setattr(classification, "_detect", counted)
    assert (await client.post(f"/api/batches/{batch['id']}/launch", headers=ines)).status_code == 200
    state = await finished(app, client, ines, batch["id"])

    assert state["progress"]["succeeded"] == 6
    assert len(letters.received) == 6
    assert len(readings) == 6  # one reading per row, not one by the runner and one by the gateway
    assert len(set(readings)) == 6
