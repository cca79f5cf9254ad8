"""Two `ariane serve` replicas and one `ariane worker` around one PostgreSQL reached over TCP.

Each is a process of its own, as in a deployment: a turn started on A streams live on B and is
stopped from B; a robot approved on B runs once, on the worker; a registered tool's rate limit is
counted once for both replicas; the audit chain written by both verifies; a replica killed mid-turn
leaves its run closed `interrupted`, its events kept.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import yaml
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server.settings import Settings
from tests.fakes.badge_mcp_server import BADGE_QUESTION, BadgeServer
from tests.fakes.paced_model import PacedScriptedModel, ThreadedServer
from tests.sse import parse_sse
from tests.tcp_postgres import free_port, postgres_over_tcp
from tools.tenant.app import build_identity_provider
from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID
from tools.tenant.settings import TenantSettings

ARIANE = [sys.executable, "-c", "from server.cli import main; main()"]
SUMMARY = "Résume-moi l'intervention de Julien Perrin à l'assemblée générale DTNIB en 3 points"
ROBOT = "Lance le robot de refacturation des actes de laboratoire pour octobre"
TURNS = 200


@dataclass
class Cluster:
    """The processes, their URLs, the model's pace, and tokens of the local directory."""

    folder: Path
    env: dict[str, str]
    database: str
    model: PacedScriptedModel
    mint: Callable[[str], str]
    badges: BadgeServer | None = None  # a third-party tool server, for the clusters that register one
    badges_url: str = ""
    replicas: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, *args: str, port: int | None = None, **extra: str) -> None:
        env = self.env | ({"ARIANE_PORT": str(port)} if port else {}) | extra
        with (self.folder / f"{name}.log").open("wb") as log:  # the child keeps its own copy
            self.processes[name] = subprocess.Popen([*ARIANE, *args], env=env, stdout=log, stderr=log)
        if port:
            self.replicas[name] = f"http://127.0.0.1:{port}"

    def wait_for(self, condition: Callable[[], Any], seconds: float = 120) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                assert process.poll() is None or name == "A", f"{name} exited: see {self.folder / name}.log"
            try:
                value = condition()
                if value:
                    return value
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError("condition not met in time")

    def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.mint(user + '@chru-exemple.fr')}"}

    def sql(self, query: str, *params: object) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database) as conn:
            return conn.execute(query, params).fetchall()

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*ARIANE, *args], env=self.env, capture_output=True, text=True, timeout=300)


def _anchor_key() -> str:
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _policy_without_user_quota(folder: Path) -> Path:
    default = Settings.model_fields["gateway_policy_file"].default
    policy = yaml.safe_load(Path(default).read_text(encoding="utf-8"))
    policy["quotas"]["user_tokens_per_day"] = None  # 200 turns of one user stay on the model
    path = folder / "policy.yaml"
    path.write_text(yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("replicas")
    model, badges = PacedScriptedModel(), BadgeServer()
    with (
        postgres_over_tcp(folder / "postgres") as admin,
        ThreadedServer(model) as upstream,
        ThreadedServer(badges.app, lifespan="on") as badge_server,
    ):
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE DATABASE ariane")
        database = admin.rsplit("/", 1)[0] + "/ariane"
        tenant_port = free_port()
        env = os.environ | {
            "DATABASE_URL": database,
            "ARIANE_DATA_DIR": str(folder / "data"),
            "ARIANE_WEB_DIST": str(folder / "no-web"),
            "ARIANE_TENANT_PORT": str(tenant_port),
            "ARIANE_GATEWAY_EMBEDDINGS_PRELOAD": "false",
            "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__BASE_URL": f"http://127.0.0.1:{upstream.port}/v1",
            "ARIANE_GATEWAY_UPSTREAMS__HDS_VLLM__API_KEY": "sk-test",
            "ARIANE_GATEWAY_POLICY_FILE": str(_policy_without_user_quota(folder)),
            "ARIANE_FIXED_NOW": "2026-11-28T10:00:00+01:00",
            "ARIANE_WORK_LEASE_SECONDS": "10",
            "ARIANE_WORK_HEARTBEAT_SECONDS": "1",
            "ARIANE_REGISTRY_SECRET_KEY": Fernet.generate_key().decode(),
            "ARIANE_AUDIT_ANCHOR_KEY": _anchor_key(),
            "ARIANE_LOG_LEVEL": "warning",
            "ARIANE_SSRF_ALLOWED_HOSTS": '["127.0.0.1"]',  # the third-party tool server of the test
        }
        tenant = TenantSettings(host="127.0.0.1", port=tenant_port, data_dir=folder / "data" / "tenant")
        provider = build_identity_provider(tenant)  # the key the tenant process will load

        def mint(email: str) -> str:
            user = provider.directory.user_by_mail(email)
            assert user is not None, email
            token: str = provider.tokens.access_token(
                user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
            )
            return token

        badges_url = f"http://127.0.0.1:{badge_server.port}/mcp"
        made = Cluster(folder, env, database, model, mint, badges=badges, badges_url=badges_url)
        try:
            # The refusals side by side (each process's start-up is most of its cost), then the
            # tenant starts while the database is migrated.
            with ThreadPoolExecutor(2) as pool:
                keyless_run = pool.submit(
                    subprocess.run, [*ARIANE, "worker"], env=env | {"ARIANE_AUDIT_ANCHOR_KEY": ""},
                    capture_output=True, text=True, timeout=300,
                )  # fmt: skip
                refused = made.cli("serve")  # not migrated yet: refused, nothing created
                keyless = keyless_run.result()
            assert keyless.returncode == 1
            assert "needs ARIANE_AUDIT_ANCHOR_KEY" in keyless.stderr
            assert refused.returncode == 1
            assert "run `ariane db migrate` first" in refused.stderr
            made.start("tenant", "tenant")
            migrated = made.cli("db", "migrate")
            assert migrated.returncode == 0, migrated.stderr
            made.start("A", "serve", port=free_port())
            made.start("B", "serve", port=free_port())
            made.start(
                "worker", "worker", ARIANE_DATA_DIR=str(folder / "worker-disk")
            )  # not the replicas' disk
            for url in made.replicas.values():
                made.wait_for(lambda url=url: httpx.get(f"{url}/readyz", timeout=2).status_code == 200)
            made.wait_for(lambda: made.sql("SELECT 1 FROM processes WHERE role = 'worker'"))
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


def _turn(
    url: str, headers: dict[str, str], message: str = SUMMARY, workflow: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    thread = httpx.post(f"{url}/api/threads", json={}, headers=headers, timeout=30).json()["id"]
    body = {"message": message} | ({"workflow": workflow} if workflow else {})
    response = httpx.post(f"{url}/api/threads/{thread}/runs", json=body, headers=headers, timeout=120)
    return response.headers["x-ariane-run-id"], parse_sse(response.text)


def _started_turn(url: str, headers: dict[str, str]) -> tuple[str, httpx.Client, Iterator[str]]:
    """A turn started and left streaming, once its first event arrived: its run id, the rest of its lines."""
    thread = httpx.post(f"{url}/api/threads", json={}, headers=headers, timeout=30).json()["id"]
    client = httpx.Client(timeout=120)
    request = client.build_request(
        "POST", f"{url}/api/threads/{thread}/runs", json={"message": SUMMARY}, headers=headers
    )
    response = client.send(request, stream=True)
    lines = response.iter_lines()
    for line in lines:
        if line.startswith("event: "):
            break
    return response.headers["x-ariane-run-id"], client, lines


def _listen(url: str, run_id: str, headers: dict[str, str], into: list[dict[str, Any]]) -> threading.Thread:
    def read() -> None:
        with httpx.stream("GET", f"{url}/api/runs/{run_id}/events", headers=headers, timeout=120) as response:
            into.extend(parse_sse(response.read().decode()))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_turns_spread_over_both_replicas_leave_one_audit_chain_that_verifies(cluster: Cluster) -> None:
    headers = cluster.headers("claire.dubois")
    urls = [cluster.replicas["A"], cluster.replicas["B"]]
    with ThreadPoolExecutor(4) as pool:
        turns = list(pool.map(lambda n: _turn(urls[n % 2], headers), range(TURNS)))

    assert [events[-1]["data"]["status"] for _, events in turns] == ["done"] * TURNS
    assert {events[-1]["data"]["mode"] for _, events in turns} == {"generative"}
    hosts = cluster.sql("SELECT p.role, count(*) FROM runs r JOIN processes p ON p.id = r.owner GROUP BY 1")
    assert dict(hosts) == {"serve": TURNS}
    verified = cluster.cli("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_turn_started_on_a_streams_live_on_b_and_is_stopped_from_b(cluster: Cluster) -> None:
    headers = cluster.headers("claire.dubois")
    cluster.model.delay = 60.0  # the model thinks for a minute: the turn is going when B attaches
    try:
        run_id, client, streaming = _started_turn(cluster.replicas["A"], headers)
        on_b: list[dict[str, Any]] = []
        listener = _listen(cluster.replicas["B"], run_id, headers, on_b)
        stopped = httpx.post(f"{cluster.replicas['B']}/api/runs/{run_id}/stop", headers=headers, timeout=60)
        listener.join(timeout=60)
        rest = "\n".join(streaming)
        client.close()
    finally:
        cluster.model.delay = 0.0

    assert (stopped.status_code, stopped.json()["status"]) == (200, "stopped")
    assert not listener.is_alive()
    assert [e["event"] for e in on_b][-2:] == ["error", "done"]
    assert on_b[-1]["data"]["status"] == "stopped"
    assert [e["id"] for e in on_b] == list(range(1, len(on_b) + 1))  # every event, once, in order
    assert "event: done" in rest  # A's own stream ended too


def test_a_robot_approved_on_b_runs_once_on_the_worker(cluster: Cluster) -> None:
    marc, sylvie = cluster.headers("marc.lefevre"), cluster.headers("sylvie.garnier")
    _, events = _turn(cluster.replicas["A"], marc, ROBOT)
    approval = events[-2]["data"]
    assert events[-2]["event"] == "approval_required"

    url = f"/api/approvals/{approval['id']}/approve"
    with ThreadPoolExecutor(2) as pool:  # the same decision sent to both replicas at once
        answers = list(pool.map(lambda base: httpx.post(base + url, headers=sylvie, timeout=60), urls := [
            cluster.replicas["B"], cluster.replicas["A"],
        ]))  # fmt: skip
    job_id = answers[0].json()["job_id"]

    def finished() -> dict[str, Any] | None:
        job = httpx.get(f"{urls[0]}/api/jobs/{job_id}", headers=marc, timeout=10).json()
        return job if job["status"] in {"succeeded", "failed"} else None

    job = cluster.wait_for(finished)
    assert [answer.status_code for answer in answers] == [200, 200]
    assert {answer.json()["job_id"] for answer in answers} == {job_id}
    assert (job["status"], [t["status"] for t in job["transitions"]]) == (
        "succeeded", ["queued", "running", "succeeded"],
    )  # fmt: skip
    assert cluster.sql("SELECT count(*) FROM jobs") == [(1,)]
    produced = httpx.get(  # the worker's files, from a replica that does not share its disk
        f"{cluster.replicas['A']}/api/jobs/{job_id}/artifacts/artefacts/lignes-facture.csv",
        headers=marc,
        timeout=10,
    )
    assert produced.status_code == 200
    assert "LAB-2026-00013" in produced.text
    assert cluster.sql("SELECT state, attempts FROM work_items WHERE kind = 'robot.job'") == [
        ("succeeded", 1)
    ]


def test_an_automation_fired_on_the_worker_is_in_the_audit_trail(cluster: Cluster) -> None:
    a, b = cluster.replicas["A"], cluster.replicas["B"]
    for name in ("sophie.girard", "thomas.roux", "paul.henry", "anne.lambert"):  # known once signed in
        assert httpx.get(f"{a}/api/me", headers=cluster.headers(name), timeout=30).status_code == 200
    reminder = {
        "name": "Rappel de revue des comptes", "kind": "schedule", "action": "chat", "cron": "0 7 * * 1",
        "owner": "paul.henry@chru-exemple.fr", "message": "Revue des comptes à privilèges ({{ creneau }}).",
    }  # fmt: skip
    created = httpx.post(f"{a}/api/automations", json=reminder, headers=cluster.headers("sophie.girard"))
    automation = created.json()["id"]
    approved = httpx.post(f"{b}/api/automations/{automation}/approve", headers=cluster.headers("thomas.roux"))
    fired = httpx.post(
        f"{a}/api/automations/{automation}/run", headers=cluster.headers("paul.henry"), timeout=30
    )
    firing = fired.json()["id"]

    def posted() -> list[tuple[Any, ...]] | None:
        rows = cluster.sql(
            "SELECT status FROM automation_firings WHERE id = %s AND finished_at IS NOT NULL", firing
        )
        return rows or None

    assert [created.status_code, approved.status_code, fired.status_code] == [201, 200, 202]
    assert cluster.wait_for(posted) == [("succeeded",)]  # only the worker carries firings
    anne = cluster.headers("anne.lambert")
    shown = httpx.get(f"{b}/api/audit/runs/{firing}", headers=anne, timeout=30)
    replayed = httpx.post(f"{a}/api/audit/runs/{firing}/replay", json={}, headers=anne, timeout=60)
    assert (shown.status_code, shown.json()["summary"]["workflow"]) == (200, "automation_message"), shown.text
    assert replayed.json()["status"] == "identique", replayed.text


def test_a_registered_tools_rate_limit_holds_across_both_replicas(cluster: Cluster) -> None:
    a, b = cluster.replicas["A"], cluster.replicas["B"]
    developer, admin = cluster.headers("sophie.girard"), cluster.headers("thomas.roux")
    declared = httpx.post(f"{a}/api/tools", headers=developer, timeout=60, json={
        "name": "badges", "url": cluster.badges_url, "data_class": "internal", "assistants": ["ariane"],
        "limits": {"rate_per_minute": 2},
    })  # fmt: skip
    assert declared.status_code == 201, declared.text
    inspected = httpx.post(f"{b}/api/tools/badges/inspect", headers=admin, timeout=60)
    assert inspected.status_code == 200, inspected.text
    review = {"tools": {"lookup_badge": {"read_only": True, "destructive": False}}}
    approved = httpx.post(f"{b}/api/tools/badges/approve", json=review, headers=admin, timeout=60)
    assert approved.status_code == 200, approved.text
    cluster.model.tools.calls = {"lookup_badge": {"badge": "42"}}

    claire = cluster.headers("claire.dubois")
    ends = []
    for url in (a, b, a):  # two calls a minute for Claire, whichever replica serves her
        _, events = _turn(url, claire, BADGE_QUESTION, workflow="tool_agent")
        ends += [(e["data"]["tool"], e["data"]["ok"]) for e in events if e["event"] == "tool_end"]

    assert ends == [("lookup_badge", True), ("lookup_badge", True), ("lookup_badge", False)]
    assert cluster.badges is not None
    assert cluster.badges.asked == ["42", "42"]  # the third call never reached the server


def test_a_replica_killed_mid_turn_leaves_its_run_interrupted_with_its_events(cluster: Cluster) -> None:
    headers = cluster.headers("claire.dubois")
    cluster.model.delay = 60.0
    try:
        run_id, client, _ = _started_turn(cluster.replicas["A"], headers)
        stored = cluster.wait_for(
            lambda: cluster.sql("SELECT count(*) FROM run_events WHERE run_id = %s", run_id)
        )
        cluster.processes["A"].kill()  # SIGKILL: no shutdown code runs
        cluster.processes["A"].wait(timeout=30)
        client.close()
        on_b: list[dict[str, Any]] = []
        _listen(cluster.replicas["B"], run_id, headers, on_b).join(timeout=90)
    finally:
        cluster.model.delay = 0.0

    run = httpx.get(f"{cluster.replicas['B']}/api/runs/{run_id}", headers=headers, timeout=10).json()
    assert (run["status"], run["error"]["code"]) == ("interrupted", "interrupted")
    assert [e["event"] for e in on_b][-2:] == ["error", "done"]
    assert len(on_b) > stored[0][0] >= 1  # what A had stored is kept, then the closing events
    assert [e["id"] for e in on_b] == list(range(1, len(on_b) + 1))
    verified = cluster.cli("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
