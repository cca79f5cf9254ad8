"""The `ariane` command as an operator runs it: real processes, real exit codes, one-line errors."""

import contextlib
import importlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

ARIANE = [sys.executable, "-c", "from server.cli import main; main()"]


def _run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ARIANE, *args], capture_output=True, text=True, timeout=timeout, env=(os.environ | (env or {}))
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_version_is_printed():
    result = _run("--version")

    assert (result.returncode, result.stdout.strip()) == (0, "ariane 0.1.0")


def test_token_for_an_unknown_user_is_refused_in_one_line(tmp_path):
    result = _run("token", "inconnu@chru-exemple.fr", env={"ARIANE_DATA_DIR": str(tmp_path)})

    assert result.returncode == 1
    assert (
        result.stderr.strip() == "ariane: unknown user 'inconnu@chru-exemple.fr': not in the local directory"
    )


def test_token_is_refused_when_another_issuer_is_configured(tmp_path):
    result = _run(
        "token",
        "claire.dubois@chru-exemple.fr",
        env={"ARIANE_DATA_DIR": str(tmp_path), "ARIANE_OIDC_ISSUER": "https://login.example.org/t/v2.0"},
    )

    assert result.returncode == 1
    assert "configured issuer is https://login.example.org/t/v2.0" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_url_is_reported_without_traceback(tmp_path):
    url = f"postgresql://ariane@127.0.0.1:{_free_port()}/ariane"

    result = _run("db", "migrate", env={"DATABASE_URL": url, "ARIANE_DATA_DIR": str(tmp_path)})

    assert result.returncode == 1
    assert result.stderr.startswith("ariane: PostgreSQL cannot be reached")
    assert "Traceback" not in result.stderr


def test_up_refuses_a_port_already_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = _run(
            "up",
            "--port",
            str(port),
            "--tenant-port",
            str(_free_port()),
            env={"ARIANE_DATA_DIR": str(tmp_path)},
        )

    assert result.returncode == 1
    assert result.stderr.strip() == f"ariane: port {port} on 127.0.0.1 is already in use"


def _postmaster_running(pgdata: Path) -> bool:
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_up_serves_until_ctrl_c_then_leaves_no_process_behind(tmp_path):
    port, tenant_port = _free_port(), _free_port()
    process = subprocess.Popen(
        [*ARIANE, "up", "--port", str(port), "--tenant-port", str(tenant_port)],
        env=os.environ | {"ARIANE_DATA_DIR": str(tmp_path), "ARIANE_WEB_DIST": str(tmp_path / "no-web")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()  # the process's output, read as it comes
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True)
    reader.start()
    announced: list[str] = []
    try:
        # Wait for this process's own announcement, not for « something answers on the port »: a
        # port picked free can be taken meanwhile by another test's server, whose /readyz would then
        # let the Ctrl-C land while this one is still starting.
        deadline = time.monotonic() + 240  # a cold start (initdb, migrations, indexing) on a loaded machine
        while (
            time.monotonic() < deadline
            and (reader.is_alive() or not lines.empty())  # the output is not over
            and not any("Ariane is running" in line for line in announced)
        ):
            with contextlib.suppress(queue.Empty):
                announced.append(lines.get(timeout=1))
        assert any(f"Ariane is running at http://127.0.0.1:{port}" in line for line in announced), announced
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).status_code == 200
        assert _postmaster_running(tmp_path / "postgres")

        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=10)  # the output's end: the process has exited
    if process.stdout is not None:
        process.stdout.close()
    while not lines.empty():
        announced.append(lines.get())
    output = "".join(announced)

    assert process.returncode == 0, output
    assert "Ariane stopped." in output
    assert "Traceback" not in output
    assert not _postmaster_running(tmp_path / "postgres")


def test_tools_list_without_a_user_says_so_in_one_line(tmp_path):
    result = subprocess.run(
        [*ARIANE, "tools", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"ARIANE_DATA_DIR": str(tmp_path)},
    )
    assert (result.returncode, result.stderr.strip()) == (
        1,
        "ariane: say who acts: --user EMAIL (local directory) or --token TOKEN",
    )


def test_an_expected_failure_wrapped_in_an_exception_group_is_one_line(monkeypatch, capsys):
    cli = importlib.import_module("server.cli.main")  # the module (the package exports its `main`)

    def fail() -> None:
        raise BaseExceptionGroup(
            "lifespan", [ExceptionGroup("task group", [cli.CliError("utilisateur inconnu")])]
        )

    monkeypatch.setattr(cli, "app", fail)
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip() == "ariane: utilisateur inconnu"


def test_an_unexpected_failure_is_not_hidden(monkeypatch):
    cli = importlib.import_module("server.cli.main")  # the module (the package exports its `main`)

    def fail() -> None:
        raise ExceptionGroup("task group", [RuntimeError("bug")])

    monkeypatch.setattr(cli, "app", fail)
    with pytest.raises(ExceptionGroup):
        cli.main()
