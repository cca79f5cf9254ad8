"""A refused policy's problems as administrators read them: a French (or English) sentence, a path, a line.

pydantic and the YAML parser explain in English and in their own terms; each problem is told again
from its type (`missing`, `extra_forbidden`, `enum`…) and its context, and placed at the line of the
document where the editor shows it.
"""

from __future__ import annotations

from typing import Any

import yaml

from server.messages import MESSAGES
from tools.i18n import Text

Location = tuple[str | int, ...]

# pydantic error types → message ids; each id's template fills in names of the error's `ctx` (and `input`).
_BY_TYPE = {
    "missing": "policy.missing",
    "extra_forbidden": "policy.extra_forbidden",
    "string_type": "policy.string_type",
    "int_type": "policy.int_type",
    "int_parsing": "policy.int_type",
    "int_from_float": "policy.int_type",
    "float_type": "policy.float_type",
    "float_parsing": "policy.float_type",
    "bool_type": "policy.bool_type",
    "bool_parsing": "policy.bool_type",
    "enum": "policy.enum",
    "literal_error": "policy.enum",
    "list_type": "policy.list_type",
    "dict_type": "policy.dict_type",
    "model_type": "policy.dict_type",
    "model_attributes_type": "policy.dict_type",
    "greater_than": "policy.greater_than",
    "greater_than_equal": "policy.greater_than_equal",
    "less_than": "policy.less_than",
    "less_than_equal": "policy.less_than_equal",
    "too_short": "policy.too_short",
    "too_long": "policy.too_long",
    "string_too_short": "policy.string_too_short",
    "string_too_long": "policy.string_too_long",
    "string_pattern_mismatch": "policy.pattern",
}

# The YAML parser's usual complaints, said in the administrator's words; others are quoted as they are.
_YAML_PROBLEMS = {
    "could not find expected ':'": "policy.yaml.colon_expected",
    "mapping values are not allowed here": "policy.yaml.colon_unexpected",
    "found character '\\t' that cannot start any token": "policy.yaml.tab",
    "found character that cannot start any token": "policy.yaml.bad_character",
    "did not find expected key": "policy.yaml.indentation",
    "did not find expected ',' or ']'": "policy.yaml.unclosed_list",
    "did not find expected ',' or '}'": "policy.yaml.unclosed_mapping",
    "expected ',' or ']'": "policy.yaml.unclosed_list",
    "expected ',' or '}'": "policy.yaml.unclosed_mapping",
    "expected <block end>": "policy.yaml.indentation",
    "found unexpected end of stream": "policy.yaml.unclosed_quote",
}


class TextError(ValueError):
    """A validator's refusal with its catalogue text (pydantic keeps the exception in `ctx`)."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


class ReferenceErrors(ValueError):
    """Broken cross references, each at its place in the document (pydantic keeps it in `ctx`)."""

    def __init__(self, issues: list[tuple[Location, Text]]) -> None:
        super().__init__("; ".join(str(text) for _, text in issues))
        self.issues = issues


def located_texts(error: dict[str, Any]) -> list[tuple[Location, Text]]:
    """The problems one pydantic error stands for, each with its path and its text."""
    location: Location = tuple(error.get("loc", ()))
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, ReferenceErrors):
        return [(location + path, text) for path, text in cause.issues]
    if isinstance(cause, TextError):
        return [(location, cause.text)]
    return [(location, _schema_text(error, location))]


def _schema_text(error: dict[str, Any], location: Location) -> Text:
    kind = str(error.get("type", ""))
    key = _BY_TYPE.get(kind)
    context = {name: _shown(value) for name, value in (error.get("ctx") or {}).items()}
    if key == "policy.extra_forbidden":
        return MESSAGES(key, field=location[-1] if location else "?")
    if key == "policy.enum":
        # pydantic joins the last two in English (`'a', 'b' or 'c'`): a plain list reads in both languages.
        choices = str(context.get("expected", "")).replace(" or ", ", ")
        return MESSAGES(key, value=_shown(error.get("input")), expected=choices)
    if key == "policy.pattern":
        return MESSAGES(key, value=_shown(error.get("input")))
    if key is not None:
        entry = MESSAGES.entries[key]
        names = {name for name in context if "{" + name + "}" in entry["fr"]}
        return MESSAGES(key, **{name: context[name] for name in names})
    return MESSAGES("policy.invalid", reason=str(error.get("msg", "")).removeprefix("Value error, "))


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def yaml_text(exc: yaml.YAMLError) -> Text:
    """A YAML syntax error in the administrator's words."""
    problem = str(getattr(exc, "problem", "") or "")
    # Some problems end with what the parser found instead (`expected ',' or ']', but got ':'`).
    key = next((key for start, key in _YAML_PROBLEMS.items() if problem.startswith(start)), None)
    return MESSAGES(key) if key else MESSAGES("policy.yaml.other", problem=problem or str(exc))


def line_of(document: str, path: Location) -> int | None:
    """The 1-based line of the deepest node of `document` on `path` (a missing key: its mapping)."""
    try:
        node = yaml.compose(document)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    # An empty value (`models:`) starts at the key's end: point at the key.
                    child = value if value.start_mark.line == key.start_mark.line or value.value else key
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line
