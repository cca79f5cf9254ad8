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

from server.registry.pins import Definition
from server.registry.scanning import scan
from server.registry.schemas import Finding, Severity

MAX_TOOLS = 64
MAX_DESCRIPTION_CHARS = 4000
MAX_SCHEMA_BYTES = 32_768
TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""What every model provider accepts as a function name (no dots, at most 64 characters)."""


def check_tools(definitions: list[Definition], taken: dict[str, str]) -> list[Finding]:
    """Every finding about a server's tools; `taken` maps tool names of other servers to their server."""
    findings: list[Finding] = []
    if len(definitions) > MAX_TOOLS:
        findings.append(
            _error(None, "tools", "too_many_tools", f"{len(definitions)} outils (au plus {MAX_TOOLS}).")
        )
    seen: set[str] = set()
    for definition in definitions:
        name = str(definition["name"])
        if name in seen:
            findings.append(
                _error(name, "name", "duplicate_tool", f"L'outil « {name} » est déclaré deux fois.")
            )
        seen.add(name)
        if name in taken:
            findings.append(
                _error(
                    name,
                    "name",
                    "name_taken",
                    f"Le nom « {name} » est déjà pris par le serveur « {taken[name]} ».",
                )
            )
        findings.extend(check_definition(definition, frozenset(str(d["name"]) for d in definitions)))
    return findings


def check_definition(definition: Definition, siblings: frozenset[str] = frozenset()) -> list[Finding]:
    """The findings about one tool: name, sizes, schemas, then its texts (`siblings`: the server's tools)."""
    name = str(definition["name"])
    findings: list[Finding] = []
    if not TOOL_NAME.match(name):
        findings.append(
            _error(
                name,
                "name",
                "invalid_name",
                "Nom d'outil invalide : lettres, chiffres, « _ » ou « - », 64 au plus.",
            )
        )
    description = str(definition.get("description") or "")
    if not description.strip():
        findings.append(
            Finding(
                tool=name,
                field="description",
                code="no_description",
                severity=Severity.WARNING,
                detail="L'outil n'a pas de description : le modèle ne saura pas quand l'utiliser.",
            )
        )
    if len(description) > MAX_DESCRIPTION_CHARS:
        findings.append(
            _error(
                name,
                "description",
                "too_large",
                f"Description de {len(description)} caractères (au plus {MAX_DESCRIPTION_CHARS}).",
            )
        )
    findings.extend(_check_schema(name, "input_schema", definition.get("input_schema"), required=True))
    findings.extend(_check_schema(name, "output_schema", definition.get("output_schema"), required=False))
    for where, text in _texts(definition):
        findings.extend(scan_text(name, where, text, siblings))
    return findings


def scan_text(
    tool: str | None, where: str, text: str, siblings: frozenset[str] = frozenset()
) -> list[Finding]:
    """Prompt-injection findings in one text a model would read (see `server.registry.scanning`)."""
    return [
        Finding(
            tool=tool,
            field=where,
            code=hit.code,
            severity=Severity.DANGER,
            detail=f"Le texte {hit.reason}.",
            excerpt=hit.excerpt,
        )
        for hit in scan(text, siblings)
    ]


def _check_schema(tool: str, where: str, schema: Any, *, required: bool) -> list[Finding]:
    if schema is None:
        return [_error(tool, where, "missing_schema", "Schéma d'entrée absent.")] if required else []
    label = "d'entrée" if where == "input_schema" else "de sortie"
    if not isinstance(schema, dict):
        return [_error(tool, where, "invalid_schema", f"Le schéma {label} n'est pas un objet JSON.")]
    size = len(json.dumps(schema, ensure_ascii=False).encode())
    if size > MAX_SCHEMA_BYTES:
        return [
            _error(tool, where, "too_large", f"Schéma {label} de {size} octets (au plus {MAX_SCHEMA_BYTES}).")
        ]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        path = "/".join(str(part) for part in error.path) or "racine"
        return [
            _error(
                tool,
                where,
                "invalid_schema",
                f"Schéma {label} invalide (JSON Schema 2020-12, {path}) : {error.message}",
            )
        ]
    if schema.get("type") != "object":
        return [
            _error(
                tool,
                where,
                "invalid_schema",
                f"Le schéma {label} doit décrire un objet (« type »: « object »).",
            )
        ]
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


def _error(tool: str | None, where: str, code: str, detail: str) -> Finding:
    return Finding(tool=tool, field=where, code=code, severity=Severity.ERROR, detail=detail)
