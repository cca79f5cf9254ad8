"""The server killed while an approval waits and while a job runs: nothing lost, nothing run twice."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tools.robots.runners.local import stop_orphan

ARIANE = [sys.executable, "-c", "from server.cli import main; main()"]
HERE = Path(__file__).parent / "restart"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Ariane:
    def __init__(self, data_dir: Path) -> None:
        self.port, self.tenant_port = _free_port(), _free_port()
        self.env = os.environ | {
            "ARIANE_DATA_DIR": str(data_dir),
            "ARIANE_WEB_DIST": str(data_dir / "no-web"),
            "ARIANE_PORT": str(self.port),
            "ARIANE_TENANT_PORT": str(self.tenant_port),
            "ARIANE_GATEWAY_EMBEDDINGS_PRELOAD": "false",
            "ARIANE_ROBOTS_CATALOGUE_FILE": str(HERE / "catalogue.yaml"),
            "ARIANE_ROBOTS_TASKS_DIR": str(HERE),
        }
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [*ARIANE, "up"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
        )
        self.wait_for(lambda: httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no shutdown code runs
        self.process.wait(timeout=30)

    def wait_for(self, condition, seconds: float = 240):  # type: ignore[no-untyped-def]  # a ceiling, not a timing
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process is None or self.process.poll() is None, "server exited"
            try:
                value = condition()
                if value:
                    return value
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError("condition not met in time")

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*ARIANE, *args], capture_output=True, text=True, timeout=60, env=self.env)

    def headers(self, user: str) -> dict[str, str]:
        token = self.cli("token", f"{user}@chru-exemple.fr").stdout.strip()
        return {"Authorization": f"Bearer {token}"}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def _stop_embedded_postgres(pgdata: Path) -> None:
    # A server killed with SIGKILL cannot stop its embedded PostgreSQL; the restarted one reuses it.
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().splitlines()[0])
    try:  # only that folder's server: a stale file's pid may be another process's by now
        if str(pgdata) not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            return
        os.kill(pid, signal.SIGTERM)
    except OSError:  # gone (ProcessLookupError among them)
        pass


def test_pending_approvals_and_running_jobs_survive_a_killed_server_without_running_twice(tmp_path):
    ariane = Ariane(tmp_path)
    runs_log = tmp_path / "robots" / "jobs" / "runs.log"
    robot_pid, job_id = None, None
    try:
        ariane.start()
        marc = ariane.headers("marc.lefevre")
        thread = httpx.post(f"{ariane.url}/api/threads", json={}, headers=marc).json()["id"]
        body = httpx.post(
            f"{ariane.url}/api/threads/{thread}/runs",
            json={"message": "Lance le robot lent"},
            headers=marc,
            timeout=60,
        ).text
        assert "event: approval_required" in body
        approval = httpx.get(
            f"{ariane.url}/api/approvals", params={"thread_id": thread}, headers=marc
        ).json()[0]

        ariane.kill()  # while the approval waits
        ariane.start()

        seen = httpx.get(f"{ariane.url}/api/approvals/{approval['id']}", headers=marc).json()
        assert (seen["status"], seen["inputs"], seen["digest"]) == ("pending", {}, approval["digest"])
        approved = ariane.cli(
            "approvals",
            "approve",
            approval["id"],
            "--user",
            "sylvie.garnier@chru-exemple.fr",
            "--url",
            ariane.url,
        )
        assert approved.returncode == 0, approved.stderr
        job_id = httpx.get(f"{ariane.url}/api/approvals/{approval['id']}", headers=marc).json()["job_id"]
        job = ariane.wait_for(
            lambda: (
                (j := httpx.get(f"{ariane.url}/api/jobs/{job_id}", headers=marc).json())["status"]
                == "running"
                and runs_log.is_file()
                and j
            )
        )
        robot_pid = int(job["external_id"] or 0) or None
        resumed = httpx.get(f"{ariane.url}/api/approvals/{approval['id']}", headers=marc).json()[
            "resumed_run_id"
        ]
        assert resumed is not None

        ariane.kill()  # while the job runs
        ariane.start()

        after = httpx.get(f"{ariane.url}/api/jobs/{job_id}", headers=marc).json()
        assert (after["status"], after["error"]["code"]) == ("failed", "interrupted")
        in_english = httpx.get(
            f"{ariane.url}/api/jobs/{job_id}", headers=marc | {"Accept-Language": "en"}
        ).json()
        interrupted = (
            "Le serveur a redémarré pendant l'exécution : la tâche n'est pas relancée, vérifiez son journal.",
            "The server restarted during the run: the job is not run again, check its log.",
        )
        assert (after["error"]["detail"], after["transitions"][-1]["detail"]) == (interrupted[0],) * 2
        assert (in_english["error"], in_english["transitions"][-1]["detail"]) == (
            {"code": "interrupted", "detail": interrupted[1]},
            interrupted[1],
        )
        again = ariane.cli(
            "approvals",
            "approve",
            approval["id"],
            "--user",
            "sylvie.garnier@chru-exemple.fr",
            "--url",
            ariane.url,
            "--json",
        )
        assert again.returncode == 0, again.stderr
        activity = httpx.get(f"{ariane.url}/api/activity", headers=marc).json()
        assert [(j["id"], j["status"]) for j in activity["jobs"]] == [(job_id, "failed")]
        assert runs_log.read_text().split() == ["start"]
        assert robot_pid is not None
        assert not _alive(robot_pid)  # the orphaned robot was stopped at restart
    finally:
        if robot_pid and job_id:  # the killed server's robot, if still waiting in its own process group
            # Only if that pid is still this job's robot: a pid is reused soon (pid_max is 32 768
            # here), and a bare killpg could hit another test's process group — its PostgreSQL.
            stop_orphan(str(robot_pid), job_id)
        if ariane.process is not None and ariane.process.poll() is None:
            ariane.process.send_signal(signal.SIGINT)
            try:
                ariane.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                ariane.process.kill()
        _stop_embedded_postgres(tmp_path / "postgres")
