"""`ariane tools`: a developer registers a third-party MCP server in one line, an administrator approves."""

import os
import subprocess
import sys

from tests.server.registry.conftest import TIME_SERVER

ARIANE = [sys.executable, "-c", "from server.cli import main; main()"]


def _ariane(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ARIANE, *args], capture_output=True, text=True, timeout=120, env=os.environ | env)


def test_a_developer_registers_by_command_in_one_line_and_an_administrator_approves(database_url, tmp_path):
    env = {"DATABASE_URL": database_url, "ARIANE_DATA_DIR": str(tmp_path)}

    registered = _ariane(
        "tools",
        "register",
        "time",
        "--command",
        TIME_SERVER,
        "--user",
        "sophie.girard@chru-exemple.fr",
        env=env,
    )
    self_approved = _ariane("tools", "approve", "time", "--user", "sophie.girard@chru-exemple.fr", env=env)
    approved = _ariane("tools", "approve", "time", "--user", "thomas.roux@chru-exemple.fr", env=env)
    listed = _ariane("tools", "list", "--user", "thomas.roux@chru-exemple.fr", env=env)

    assert registered.returncode == 0, registered.stderr
    assert registered.stdout.splitlines()[0].startswith("time  pending_review  stdio  ")
    assert "  - get_current_time  pending_review  sha256:" in registered.stdout
    assert self_approved.returncode == 1, self_approved.stderr[-3000:]
    assert self_approved.stderr.strip() == (
        "ariane: Votre profil ne donne pas accès à cette fonction. (forbidden)"
    )
    assert approved.returncode == 0, approved.stderr
    assert "  - get_current_time  active  sha256:" in approved.stdout
    assert (
        "time             active          stdio    ok       2/2 outils actifs" in listed.stdout.splitlines()
    )
