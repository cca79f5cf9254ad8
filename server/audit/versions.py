"""The versions a run records: code (package, git commit, digest of the agents' source), tool definitions.

Replay compares them with the running code's: a run made by another version is reported as such
(and still replayed, so that the auditor sees whether the difference matters).
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

from server import __version__
from server.audit.chain import canonical

_ROOT = Path(__file__).resolve().parent.parent.parent


def agents_digest(root: Path = _ROOT) -> str:
    """SHA-256 over the agents package's Python sources (paths and contents), first 16 hex digits."""
    digest = hashlib.sha256()
    for path in sorted((root / "agents").rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def git_commit(root: Path = _ROOT) -> str | None:
    """The checkout's commit, or None outside a git checkout (installed package)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def code_version() -> dict[str, Any]:
    """What identifies the running code."""
    return {"package": __version__, "commit": git_commit(), "agents": agents_digest()}


async def tool_definitions(servers: dict[str, Any]) -> dict[str, str]:
    """A digest of each built-in tool server's tool definitions (names, descriptions, schemas)."""
    digests = {}
    for name, server in sorted(servers.items()):
        tools = [
            tool.model_dump(mode="json", by_alias=True, exclude_none=True)
            for tool in await server.list_tools()
        ]
        digests[name] = hashlib.sha256(canonical(tools).encode()).hexdigest()[:16]
    return digests
