"""The MCP client's output-schema validators, compiled once per process instead of once per session.

The client checks every structured tool result against the tool's output schema (`mcp` 2.3.0 has no
way to skip it), and compiles that schema — a metaschema check, then a validator — once per session.
A run opens its own sessions (they carry the user's token), so every turn compiled the same schemas
again: 8–10 % of the server's CPU at 32 users. Compiled validators are immutable and reentrant; they
are kept here by the schema's canonical JSON (bounded), and a session is handed the one already made.
Results are still validated, on every call, exactly as before.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from mcp.client.session import ClientSession

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

_KEPT = 256  # distinct output schemas (tools of every server the process reaches)
_compile = ClientSession._output_schema_validator
_compiled: OrderedDict[str, Validator] = OrderedDict()
_lock = threading.Lock()


def _shared_validator(session: ClientSession, name: str, output_schema: dict[str, Any]) -> Validator:
    own = session._tool_output_validators.get(name)
    if own is not None:
        return own
    key = json.dumps(output_schema, sort_keys=True, separators=(",", ":"))
    with _lock:
        validator = _compiled.get(key)
        if validator is not None:
            _compiled.move_to_end(key)
    if validator is None:
        validator = _compile(session, name, output_schema)  # checks and compiles; raises as it did
        with _lock:
            _compiled[key] = validator
            while len(_compiled) > _KEPT:
                _compiled.popitem(last=False)
    session._tool_output_validators[name] = validator
    return validator


def share_output_validators() -> None:
    """Make every `ClientSession` of this process take compiled validators from the shared store."""
    ClientSession._output_schema_validator = _shared_validator  # type: ignore[method-assign, assignment]


def compiled_count() -> int:
    """How many distinct output schemas have been compiled (for tests)."""
    return len(_compiled)
