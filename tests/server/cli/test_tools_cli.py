"""`ariane tools`: a developer declares a third-party MCP server in one line (nothing runs); another
person, an administrator, inspects it in its sandbox and approves it, judging one tool read-only."""

import os
import subprocess
import sys

from tests.server.registry.conftest import TIME_SERVER

ARIANE = [sys.executable, "-c", "from server.cli import main; main()"]


def _ariane(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ARIANE, *args], capture_output=True, text=True, timeout=120, env=os.environ | env)


def test_a_developer_declares_a_package_in_one_line_and_an_administrator_inspects_and_approves(
    database_url, tmp_path
):
    env = {"DATABASE_URL": database_url, "ARIANE_DATA_DIR": str(tmp_path)}
    admin = ("--user", "thomas.roux@chru-exemple.fr")

    registered = _ariane(
        "tools", "register", "time", "--package", TIME_SERVER["package"], "--version", TIME_SERVER["version"],
        "--arg", "--local-timezone", "--arg", "Europe/Paris", "--user", "sophie.girard@chru-exemple.fr",
        env=env,
    )  # fmt: skip
    self_approved = _ariane("tools", "approve", "time", "--user", "sophie.girard@chru-exemple.fr", env=env)
    inspected = _ariane("tools", "inspect", "time", *admin, env=env)
    approved = _ariane("tools", "approve", "time", "--read-only", "get_current_time", *admin, env=env)
    listed = _ariane("tools", "list", *admin, env=env)

    assert registered.returncode == 0, registered.stderr
    declared = f"mcp-server-time=={TIME_SERVER['version']} --local-timezone Europe/Paris"
    assert registered.stdout.splitlines()[0] == f"time  pending_review  stdio  {declared}"
    assert "pas encore inspecté : rien n'a été démarré ni contacté" in registered.stdout
    assert self_approved.returncode == 1, self_approved.stderr[-3000:]
    assert self_approved.stderr.strip() == (
        "ariane: Votre profil ne donne pas accès à cette fonction. (forbidden)"
    )
    assert inspected.returncode == 0, inspected.stderr
    assert "  - get_current_time  pending_review confirmation  sha256:" in inspected.stdout
    assert approved.returncode == 0, approved.stderr
    assert "  - get_current_time  active  sha256:" in approved.stdout
    assert "  - convert_time  active confirmation  sha256:" in approved.stdout
    assert (
        "time             active          stdio    ok       2/2 outils actifs" in listed.stdout.splitlines()
    )
