"""Pins: the canonical form of a tool's definition, its SHA-256 digest, and the diff between two forms.

The digest covers what a model reads and what decides how a call is handled: name, description,
input and output schemas and annotations. Anything else a server sends (titles, icons, `_meta`) may
change without suspending the tool.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from typing import Any

from mcp.types import Tool

Definition = dict[str, Any]


def definition_of(tool: Tool) -> Definition:
    """The canonical definition of an MCP tool, as stored and pinned."""
    annotations = tool.annotations.model_dump(by_alias=True, exclude_none=True) if tool.annotations else {}
    return {
        "name": tool.name,
        "description": tool.description or "",
        "input_schema": tool.input_schema,
        "output_schema": tool.output_schema,
        "annotations": annotations,
    }


def canonical_json(definition: Definition) -> str:
    """One byte-stable text for a definition: sorted keys, no spaces, Unicode kept as is."""
    return json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(definition: Definition) -> str:
    """`sha256:` and the hex SHA-256 of the canonical definition."""
    return "sha256:" + hashlib.sha256(canonical_json(definition).encode()).hexdigest()


def diff(approved: Definition | None, current: Definition) -> str:
    """A unified diff from the approved definition to the one presented now ("" when equal)."""
    if approved is None or digest(approved) == digest(current):
        return ""
    before = _pretty(approved).splitlines(keepends=True)
    after = _pretty(current).splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, "approuvée", "présentée"))


def _pretty(definition: Definition) -> str:
    # ensure_ascii: hidden characters show up as \\u escapes in the diff instead of vanishing.
    return json.dumps(definition, sort_keys=True, indent=2, ensure_ascii=True) + "\n"
