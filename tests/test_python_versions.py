"""Every module of Ariane imports on each supported Python (3.11 to 3.13), in every `make test` run.

`make pytest` spreads the suite over one worker per Python, so a given test runs on one version only;
this check makes sure no module of the product fails to import on any of them (a syntax or typing
construct, an extension missing for that version) whichever worker its tests landed on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("agents", "server", "tools", "evals")
# Run by alembic with its context set up, not importable on its own.
NOT_IMPORTABLE_ALONE = {"server.migrations.env"}

IMPORT_ALL = f"""
import importlib, pkgutil, sys
failed, count = [], 0
for package in {PACKAGES!r}:
    for info in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        if info.name.rsplit(".", 1)[-1] == "__main__" or info.name in {NOT_IMPORTABLE_ALONE!r}:
            continue
        count += 1
        try:
            importlib.import_module(info.name)
        except Exception as error:
            failed.append(f"{{info.name}}: {{type(error).__name__}}: {{error}}")
print("%d.%d" % sys.version_info[:2], count)
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def _interpreters() -> list[tuple[str, Path]]:
    found = [("this", Path(sys.executable))]
    for version in ("3.12", "3.13"):
        python = ROOT / f".venv{version.replace('.', '')}" / "bin" / "python"
        if python.exists():
            found.append((version, python))
    return found


@pytest.mark.parametrize(("version", "python"), _interpreters(), ids=[name for name, _ in _interpreters()])
def test_every_module_imports(version: str, python: Path) -> None:
    done = subprocess.run(
        [str(python), "-c", IMPORT_ALL], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    reported_version, count = done.stdout.split()[:2]
    if version != "this":
        assert reported_version == version
    assert int(count) > 300, "far fewer modules than Ariane has: the walk found nothing"
