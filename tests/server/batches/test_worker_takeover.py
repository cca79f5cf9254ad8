"""Batches on `ariane worker`: one `ariane serve` replica, a worker killed mid-batch, another taking over.

Processes of their own around one PostgreSQL over TCP, as in a deployment: the batch is launched on
the API replica and run by a worker, which sends its rows to the replica's `/v1`
(`ARIANE_INTERNAL_API_URL`). The worker is killed (SIGKILL) with rows in flight; a second worker
takes the batch over and ends it, and the upstream received every row exactly once: the replica's
gateway finished the calls in flight and answered the resent rows from what it kept under their
`Idempotency-Key`.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from cryptography.fernet import Fernet

from tests.fakes.letter_model import FakeLetterModel, letter_for, prompt_key, serve
from tests.server.batches.conftest import BODY, patients, table_csv
from tests.server.test_replicas import Cluster, _anchor_key
from tests.tcp_postgres import free_port, postgres_over_tcp
from tools.tenant.app import build_identity_provider
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ROWS = 40
CONCURRENCY = 4


@pytest.fixture
def letters() -> FakeLetterModel:
    return FakeLetterModel(delay=0.25)


@pytest.fixture
def cluster(tmp_path: Path, letters: FakeLetterModel) -> Iterator[Cluster]:
    upstream = free_port()
    serve(letters, upstream)
    with postgres_over_tcp(tmp_path / "postgres") as admin:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE DATABASE ariane")
        database = admin.rsplit("/", 1)[0] + "/ariane"
        tenant_port, api_port = free_port(), free_port()
        env = os.environ | {
            "DATABASE_URL": database,
            "ARIANE_DATA_DIR": str(tmp_path / "data"),
            "ARIANE_WEB_DIST": str(tmp_path / "no-web"),
            "ARIANE_TENANT_PORT": str(tenant_port),
            "ARIANE_GATEWAY_EMBEDDINGS_PRELOAD": "false",
            "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL": f"http://127.0.0.1:{upstream}/v1",
            "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__API_KEY": "sk-upstream-secret",
            "ARIANE_BATCH_CONCURRENCY": str(CONCURRENCY),
            "ARIANE_BATCH_LEASE_SECONDS": "3",
            "ARIANE_WORK_LEASE_SECONDS": "3",
            "ARIANE_WORK_HEARTBEAT_SECONDS": "1",
            "ARIANE_REGISTRY_SECRET_KEY": Fernet.generate_key().decode(),
            "ARIANE_AUDIT_ANCHOR_KEY": _anchor_key(),
            "ARIANE_LOG_LEVEL": "warning",
        }
        tenant = TenantSettings(host="127.0.0.1", port=tenant_port, data_dir=tmp_path / "data" / "tenant")
        provider = build_identity_provider(tenant)

        def mint(email: str) -> str:
            user = provider.directory.user_by_mail(email)
            assert user is not None, email
            token: str = provider.tokens.access_token(
                user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
            )
            return token

        made = Cluster(tmp_path, env, database, None, mint)  # type: ignore[arg-type]  # no chat model
        try:
            assert made.cli("db", "migrate").returncode == 0
            made.start("tenant", "tenant")
            made.start("api", "serve", port=api_port)
            made.wait_for(lambda: httpx.get(f"{made.replicas['api']}/readyz", timeout=2).status_code == 200)
            yield made
        finally:
            for process in made.processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in made.processes.values():
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def test_a_worker_killed_mid_batch_is_taken_over_and_the_upstream_gets_every_row_once(
    cluster: Cluster, letters: FakeLetterModel
) -> None:
    api = cluster.replicas["api"]
    to_api = {"ARIANE_INTERNAL_API_URL": api}
    cluster.start("worker-1", "worker", ARIANE_DATA_DIR=str(cluster.folder / "worker-1"), **to_api)
    ines = cluster.headers("ines.moreau")
    files = {"file": ("export.csv", table_csv(patients(ROWS)))}
    batch = httpx.post(f"{api}/api/batches", files=files, data={"data_class": "health"}, headers=ines)
    batch_id = batch.json()["id"]
    changes = {"body": BODY, "model": "mistral-small-hds", "review_required": False}
    assert httpx.patch(f"{api}/api/batches/{batch_id}", json=changes, headers=ines).status_code == 200
    launched = httpx.post(f"{api}/api/batches/{batch_id}/launch", headers=ines, timeout=30)
    assert launched.status_code == 200, launched.text

    def state() -> dict[str, object]:
        return dict(httpx.get(f"{api}/api/batches/{batch_id}", headers=ines, timeout=10).json())

    cluster.wait_for(lambda: state()["progress"]["succeeded"] >= 10)  # type: ignore[index]
    cluster.processes["worker-1"].kill()  # SIGKILL, rows in flight
    cluster.processes["worker-1"].wait(timeout=30)
    del cluster.processes["worker-1"]
    assert state()["status"] == "running"
    cluster.start("worker-2", "worker", ARIANE_DATA_DIR=str(cluster.folder / "worker-2"), **to_api)

    done = cluster.wait_for(lambda: (s := state())["status"] == "completed" and s)
    assert done["progress"]["succeeded"] == ROWS
    rows = httpx.get(f"{api}/api/batches/{batch_id}/rows", params={"limit": 500}, headers=ines).json()
    assert [row["number"] for row in rows] == list(range(1, ROWS + 1))
    for row in rows:
        assert row["status"] == "done"
        expected = letter_for(f"Bonjour {row['values']['civilite']} {row['values']['nom']},")
        assert row["output"].startswith(expected)
    assert len({prompt_key(body) for body in letters.bodies}) == ROWS
    assert set(letters.received.values()) == {1}  # no row reached the model twice
    assert set(letters.generated.values()) == {1}
    assert cluster.sql("SELECT state, attempts > 1 FROM work_items WHERE kind = 'batch.run'") == [
        ("succeeded", True)  # the dead worker's item, taken over
    ]
    replay = cluster.cli("audit", "replay", batch_id)
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert replay.stdout.startswith("identique")
