"""`ariane batch run` as a script runs it: a real process, the embedded PostgreSQL, the letters written."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from docx import Document

from tests.server.batches.conftest import BODY, patients, table_csv

ARIANE = [sys.executable, "-c", "from server.cli import main; main()"]


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "ARIANE_DATA_DIR": str(tmp_path / "data"),
        "ARIANE_GATEWAY_EMBEDDINGS_PRELOAD": "false",
    }
    return subprocess.run([*ARIANE, *args], capture_output=True, text=True, timeout=240, env=env)


def test_a_mail_merge_batch_runs_from_the_command_line_and_writes_the_letters(tmp_path: Path) -> None:
    table, template, output = tmp_path / "export.csv", tmp_path / "courrier.txt", tmp_path / "courriers.zip"
    table.write_bytes(table_csv(patients(3)))
    template.write_text(BODY, encoding="utf-8")
    done = _run(
        tmp_path,
        "batch",
        "run",
        str(table),
        "--template",
        str(template),
        "--merge",
        "--no-review",
        "--user",
        "claire.dubois@chru-exemple.fr",
        "--output",
        str(output),
    )
    assert done.returncode == 0, done.stderr
    assert "terminé — 3 courrier(s), 0 refusé(s), 0 en échec, sur 3 ligne(s)." in done.stdout
    archive = zipfile.ZipFile(io.BytesIO(output.read_bytes()))
    assert archive.namelist() == ["courrier-0001.docx", "courrier-0002.docx", "courrier-0003.docx"]
    letter = Document(io.BytesIO(archive.read("courrier-0002.docx")))
    assert [p.text for p in letter.paragraphs if p.text] == [
        "Bonjour Monsieur PATIENT002,",
        "Votre rendez-vous est fixé au 03/12/2026. Venir à jeun.",
    ]


def test_a_model_the_policy_does_not_allow_is_refused_in_one_line(tmp_path: Path) -> None:
    table, template = tmp_path / "export.csv", tmp_path / "courrier.txt"
    table.write_bytes(table_csv(patients(2)))
    template.write_text(BODY, encoding="utf-8")
    refused = _run(
        tmp_path,
        "batch",
        "run",
        str(table),
        "--template",
        str(template),
        "--model",
        "gpt-4o-mini",
        "--user",
        "ines.moreau@chru-exemple.fr",
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("ariane: ")
    assert "Traceback" not in refused.stderr
