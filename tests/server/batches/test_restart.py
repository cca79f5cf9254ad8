"""The server killed (SIGKILL) in the middle of a batch: restarted, the batch ends, no row sent again."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.fakes.letter_model import FakeLetterModel, free_port, letter_for, prompt_key, serve
from tests.server.batches.conftest import BODY, patients, table_csv
from tests.server.robots.test_restart import Ariane, _stop_embedded_postgres

ROWS = 40
CONCURRENCY = 4


def _ariane(tmp_path: Path, upstream_port: int) -> Ariane:
    ariane = Ariane(tmp_path)
    ariane.env |= {
        "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL": f"http://127.0.0.1:{upstream_port}/v1",
        "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__API_KEY": "sk-upstream-secret",
        "ARIANE_BATCH_CONCURRENCY": str(CONCURRENCY),
        "ARIANE_BATCH_LEASE_SECONDS": "3",
        "ARIANE_GATEWAY_IDEMPOTENCY_CLAIM_SECONDS": "2",  # rows in flight at the kill: sent again soon
    }
    return ariane


def test_a_batch_killed_mid_way_resumes_after_restart_and_ends_each_row_once(tmp_path: Path) -> None:
    letters = FakeLetterModel(delay=0.25)
    port = free_port()
    serve(letters, port)
    ariane = _ariane(tmp_path, port)
    try:
        ariane.start()
        ines = ariane.headers("ines.moreau")
        files = {"file": ("export.csv", table_csv(patients(ROWS)))}
        batch = httpx.post(
            f"{ariane.url}/api/batches", files=files, data={"data_class": "health"}, headers=ines
        )
        batch_id = batch.json()["id"]
        changes = {"body": BODY, "model": "mistral-small-hds", "review_required": False}
        assert (
            httpx.patch(f"{ariane.url}/api/batches/{batch_id}", json=changes, headers=ines).status_code == 200
        )
        launched = httpx.post(f"{ariane.url}/api/batches/{batch_id}/launch", headers=ines, timeout=30)
        assert launched.status_code == 200, launched.text

        def progress() -> dict[str, int]:
            return dict(httpx.get(f"{ariane.url}/api/batches/{batch_id}", headers=ines).json()["progress"])

        ariane.wait_for(lambda: progress()["succeeded"] >= 10)
        ariane.kill()  # mid-batch: rows in flight, rows pending
        sent_before = dict(letters.received)
        _stop_embedded_postgres(tmp_path / "postgres")
        ariane.start()

        state = ariane.wait_for(
            lambda: (
                (s := httpx.get(f"{ariane.url}/api/batches/{batch_id}", headers=ines).json())["status"]
                == "completed"
                and s
            )
        )
        assert state["progress"]["succeeded"] == ROWS
        rows = httpx.get(
            f"{ariane.url}/api/batches/{batch_id}/rows", params={"limit": 500}, headers=ines
        ).json()
        assert [row["number"] for row in rows] == list(range(1, ROWS + 1))
        for row in rows:
            assert row["status"] == "done"
            assert row["output"].startswith(
                letter_for(f"Bonjour {row['values']['civilite']} {row['values']['nom']},")
            )
        keys = {prompt_key(body) for body in letters.bodies}
        assert len(keys) == ROWS  # every row reached the model
        ended_before = {k for k, n in sent_before.items() if n == 1} - _in_flight(letters, sent_before)
        resent = {key for key, count in letters.received.items() if count > 1}
        assert not resent & ended_before  # no row answered before the kill was sent again
        # The gateway died with the server: a row in flight at the kill is sent again, under the same
        # upstream `Idempotency-Key`, and the upstream answers it from its first generation.
        assert len(resent) <= CONCURRENCY
        assert set(letters.generated.values()) == {1}
        assert len(letters.keys) == ROWS  # one upstream key per row, the same after the restart
        assert sum(letters.keys.values()) == sum(letters.received.values())  # on every request
        replay = ariane.cli("audit", "replay", batch_id)
        assert replay.returncode == 0, replay.stdout + replay.stderr
        assert replay.stdout.startswith("identique")
    finally:
        if ariane.process is not None and ariane.process.poll() is None:
            ariane.process.terminate()
            ariane.process.wait(timeout=60)
        _stop_embedded_postgres(tmp_path / "postgres")
        time.sleep(0.1)


def _in_flight(letters: FakeLetterModel, sent_before: dict[str, int]) -> set[str]:
    """Prompts received before the kill whose answer may not have reached Ariane (the last few)."""
    order = [prompt_key(body) for body in letters.bodies]
    received_before = [key for key in order if key in sent_before]
    return set(received_before[-CONCURRENCY:])
