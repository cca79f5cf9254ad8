"""Contract checks of a server's tools at registration and at every new definition.

Errors (invalid schema, names or sizes out of limits) refuse the registration; dangers (text that
tries to steer the model: instructions to ignore rules or call other tools, hidden Unicode, links that
would carry data out) flag the tool, which then cannot be activated.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from server.registry.pins import Definition
from server.registry.schemas import Finding, Severity

MAX_TOOLS = 64
MAX_DESCRIPTION_CHARS = 4000
MAX_SCHEMA_BYTES = 32_768
TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""What every model provider accepts as a function name (no dots, at most 64 characters)."""

# Instructions aimed at the model rather than descriptions of the tool (French and English).
_IGNORE_RULES = re.compile(
    r"\b(ignore[sz]?|disregard|forget|oublie[sz]?|ne tiens? pas compte)\b.{0,30}"
    r"\b(previous|prior|above|earlier|instructions?|rules?|consignes?|règles?|précédentes?)\b"
    r"|\b(system prompt|prompt système|you are now|tu es désormais|vous êtes désormais)\b"
    r"|<\s*/?\s*(system|important|instructions?)\s*>",
    re.IGNORECASE,
)
_CALL_OTHER_TOOLS = re.compile(
    r"\b(before|first|avant|d['’]abord)\b[^.]{0,60}\b(call\w*|us\w*|invok\w*|run|send|appel\w*|utilis\w*|envo\w*)\b"
    r"|\b(you must|you should|always|tu dois|vous devez|toujours)\b[^.]{0,40}"
    r"\b(call|invoke|use|run|appel\w*|utilis\w*)\b[^.]{0,30}\b(tool|outil|function|fonction)\b"
    r"|\b(call|invoke|appelle\w*)\s+(the\s+|l['’]\s*)?(tool|function|outil|fonction)\b",
    re.IGNORECASE,
)
_CONCEALMENT = re.compile(
    r"\b(do not|don't|never|ne pas|ne jamais|sans)\b.{0,30}\b(tell|mention|inform|reveal|dire|mentionner|"
    r"informer|révéler|signaler)\b.{0,30}\b(user|utilisateur|utilisatrice)\b"
    r"|\bne\s+(le\s+|la\s+|les\s+|rien\s+)?(dis|dites|mentionne\w*|signale\w*|révèle\w*)\s+(pas|jamais|rien)\b"
    r".{0,30}\b(utilisateur|utilisatrice)\b",
    re.IGNORECASE,
)
_SECRETS = re.compile(
    r"(~/\.ssh|\bid_rsa\b|\.aws/credentials|/etc/(passwd|shadow)|(^|[\s/])\.env\b)"
    r"|\b(send|include|pass|add|envoie\w*|transmet\w*|ajoute\w*|joins?|joindre)\b[^.]{0,40}"
    r"\b(password|token|api[_ ]?key|secret|mot de passe|jeton|clé d['’]api)",
    re.IGNORECASE,
)
_URL_WITH_QUERY = re.compile(r"https?://[^\s)\"'>]+\?[^\s)\"'>]*=", re.IGNORECASE)
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*[^)\s]+")
_PLACEHOLDER_URL = re.compile(r"https?://[^\s)\"'>]*[{<][^\s)\"'>]*", re.IGNORECASE)

_PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    (
        _IGNORE_RULES,
        "ignore_instructions",
        "demande au modèle d'ignorer ses consignes ou se fait passer pour elles",
    ),
    (_CALL_OTHER_TOOLS, "calls_other_tools", "demande au modèle d'appeler d'autres outils"),
    (_CONCEALMENT, "concealment", "demande de cacher quelque chose à l'utilisateur"),
    (_SECRETS, "asks_for_secrets", "mentionne des secrets ou des fichiers sensibles"),
    (
        _MARKDOWN_IMAGE,
        "markdown_image",
        "contient une image Markdown, qui ferait sortir des données à l'affichage",
    ),
    (
        _URL_WITH_QUERY,
        "exfiltration_link",
        "contient un lien avec paramètres, qui peut faire sortir des données",
    ),
    (
        _PLACEHOLDER_URL,
        "exfiltration_link",
        "contient un lien à compléter, qui peut faire sortir des données",
    ),
]


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
        findings.extend(check_definition(definition))
    return findings


def check_definition(definition: Definition) -> list[Finding]:
    """The findings about one tool: name, sizes, schemas, then its texts."""
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
        findings.extend(scan_text(name, where, text))
    return findings


def scan_text(tool: str | None, where: str, text: str) -> list[Finding]:
    """Prompt-injection patterns in one text a model would read."""
    findings: list[Finding] = []
    hidden = sorted({char for char in text if _is_hidden(char)})
    if hidden:
        codes = ", ".join(f"U+{ord(char):04X}" for char in hidden[:8])
        findings.append(
            Finding(
                tool=tool,
                field=where,
                code="hidden_characters",
                severity=Severity.DANGER,
                detail=f"Caractères invisibles ou de contrôle ({codes}) : un texte caché peut viser le modèle.",  # noqa: E501
            )
        )
    visible = "".join(char for char in text if not _is_hidden(char))
    for pattern, code, detail in _PATTERNS:
        match = pattern.search(visible)
        if match:
            findings.append(
                Finding(
                    tool=tool,
                    field=where,
                    code=code,
                    severity=Severity.DANGER,
                    detail=f"Le texte {detail}.",
                    excerpt=_excerpt(visible, match.start(), match.end()),
                )
            )
    return findings


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


def _is_hidden(char: str) -> bool:
    """Format characters (zero-width, bidi controls, tags), private-use and control characters."""
    if char in "\n\r\t":
        return False
    return unicodedata.category(char) in {"Cf", "Co", "Cc"} or 0xE0000 <= ord(char) <= 0xE007F


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - 30) : min(len(text), end + 30)].strip()


def _error(tool: str | None, where: str, code: str, detail: str) -> Finding:
    return Finding(tool=tool, field=where, code=code, severity=Severity.ERROR, detail=detail)
