"""`ariane governance export`: the signed pack written to a file, as a user with the right role."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from server.audit.anchors import AnchorKey
from server.cli.main import app
from server.governance.pack import verify_pack


def test_the_command_writes_a_signed_pack_for_an_auditor_and_refuses_staff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIANE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    runner = CliRunner()
    output = tmp_path / "pack.html"

    done = runner.invoke(
        app, ["governance", "export", "--user", "anne.lambert@chru-exemple.fr", "--output", str(output)]
    )
    refused = runner.invoke(
        app,
        [
            "governance",
            "export",
            "--user",
            "claire.dubois@chru-exemple.fr",
            "--output",
            str(tmp_path / "no.html"),
        ],
    )

    assert done.exit_code == 0, done.output
    assert verify_pack(output.read_text(encoding="utf-8"), AnchorKey(tmp_path / "data" / "audit"))
    assert refused.exit_code == 1
    assert not (tmp_path / "no.html").exists()
