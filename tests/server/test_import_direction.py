"""The server never imports the evaluations: they import it (and the command line runs them as programs)."""

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "server"


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_server_module_imports_evals_even_inside_a_function():
    offenders = sorted(
        str(path.relative_to(SERVER.parent))
        for path in SERVER.rglob("*.py")
        if any(name == "evals" or name.startswith("evals.") for name in _imported(path))
    )
    assert offenders == []
