"""Contract checks of a server's tools at registration and at every new definition.

Errors (invalid schema, names or sizes out of limits) refuse the registration; dangers (text that
tries to steer the model: instructions to ignore rules or call other tools, hidden Unicode, links that
would carry data out) flag the tool, which then cannot be activated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from server.messages import MESSAGES
from server.registry.pins import Definition
from server.registry.scanning import scan
from server.registry.schemas import KeptFinding, Severity
from tools.i18n import Text, kept

MAX_TOOLS = 64
MAX_DESCRIPTION_CHARS = 4000
MAX_SCHEMA_BYTES = 32_768
TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""What every model provider accepts as a function name (no dots, at most 64 characters)."""


def check_tools(definitions: list[Definition], taken: dict[str, str]) -> list[KeptFinding]:
    """Every finding about a server's tools; `taken` maps tool names of other servers to their server."""
    findings: list[KeptFinding] = []
    if len(definitions) > MAX_TOOLS:
        too_many = MESSAGES("registry.finding_too_many_tools", count=len(definitions), limit=MAX_TOOLS)
        findings.append(_error(None, "tools", "too_many_tools", too_many))
    seen: set[str] = set()
    for definition in definitions:
        name = str(definition["name"])
        if name in seen:
            duplicate = MESSAGES("registry.finding_duplicate_tool", name=name)
            findings.append(_error(name, "name", "duplicate_tool", duplicate))
        seen.add(name)
        if name in taken:
            findings.append(
                _error(
                    name,
                    "name",
                    "name_taken",
                    MESSAGES("registry.finding_name_taken", name=name, server=taken[name]),
                )
            )
        findings.extend(check_definition(definition, frozenset(str(d["name"]) for d in definitions)))
    return findings


def check_definition(definition: Definition, siblings: frozenset[str] = frozenset()) -> list[KeptFinding]:
    """The findings about one tool: name, sizes, schemas, then its texts (`siblings`: the server's tools)."""
    name = str(definition["name"])
    findings: list[KeptFinding] = []
    if not TOOL_NAME.match(name):
        findings.append(_error(name, "name", "invalid_name", MESSAGES("registry.finding_invalid_name")))
    description = str(definition.get("description") or "")
    if not description.strip():
        no_description = MESSAGES("registry.finding_no_description")
        findings.append(_finding(name, "description", "no_description", Severity.WARNING, no_description))
    if len(description) > MAX_DESCRIPTION_CHARS:
        findings.append(
            _error(
                name,
                "description",
                "too_large",
                MESSAGES(
                    "registry.finding_description_too_large",
                    size=len(description),
                    limit=MAX_DESCRIPTION_CHARS,
                ),
            )
        )
    findings.extend(_check_schema(name, "input_schema", definition.get("input_schema"), required=True))
    findings.extend(_check_schema(name, "output_schema", definition.get("output_schema"), required=False))
    for where, text in _texts(definition):
        findings.extend(scan_text(name, where, text, siblings))
    return findings


def scan_text(
    tool: str | None, where: str, text: str, siblings: frozenset[str] = frozenset()
) -> list[KeptFinding]:
    """Prompt-injection findings in one text a model would read (see `server.registry.scanning`)."""
    return [
        _finding(
            tool,
            where,
            hit.code,
            Severity.DANGER,
            MESSAGES("registry.finding_text", reason=hit.reason),
            hit.excerpt,
        )
        for hit in scan(text, siblings)
    ]


def _check_schema(tool: str, where: str, schema: Any, *, required: bool) -> list[KeptFinding]:
    if schema is None:
        missing = MESSAGES("registry.finding_no_input_schema")
        return [_error(tool, where, "missing_schema", missing)] if required else []
    label = MESSAGES("registry.schema_input" if where == "input_schema" else "registry.schema_output")
    if not isinstance(schema, dict):
        not_object = MESSAGES("registry.finding_schema_not_json_object", label=label)
        return [_error(tool, where, "invalid_schema", not_object)]
    size = len(json.dumps(schema, ensure_ascii=False).encode())
    if size > MAX_SCHEMA_BYTES:
        too_large = MESSAGES(
            "registry.finding_schema_too_large", label=label, size=size, limit=MAX_SCHEMA_BYTES
        )
        return [_error(tool, where, "too_large", too_large)]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        path = "/".join(str(part) for part in error.path) or MESSAGES("registry.schema_root")
        # The validator's own message is in English: kept as it says it, in either language.
        invalid = MESSAGES("registry.finding_schema_invalid", label=label, path=path, error=error.message)
        return [_error(tool, where, "invalid_schema", invalid)]
    if schema.get("type") != "object":
        not_object = MESSAGES("registry.finding_schema_not_object", label=label)
        return [_error(tool, where, "invalid_schema", not_object)]
    return []


def _texts(definition: Definition) -> Iterator[tuple[str, str]]:
    yield "description", str(definition.get("description") or "")
    for key in ("input_schema", "output_schema"):
        yield from _strings(definition.get(key), key)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string of a schema (keys included: a property name is read by the model too)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}/{key}", str(key)
            yield from _strings(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}/{index}")


def _error(tool: str | None, where: str, code: str, detail: Text) -> KeptFinding:
    return _finding(tool, where, code, Severity.ERROR, detail)


def _finding(
    tool: str | None, where: str, code: str, severity: Severity, detail: Text, excerpt: str = ""
) -> KeptFinding:
    """A finding keeping its French sentence and its text (id and parameters) to show it in any language."""
    sentence, text = kept(detail)
    return KeptFinding(
        tool=tool, field=where, code=code, severity=severity, detail=sentence, text=text, excerpt=excerpt
    )
