"""The template language of batch letters: `{{ colonne }}` placeholders, nothing else.

A placeholder names a column by its key (`{{ civilite }}`) or by its header as written
(`{{ Date du rendez-vous }}`); both are compared through `column_key`. There are no expressions,
loops or filters: a template is text with holes, so that what a row becomes is plain to read, and a
value is inserted as it is (never interpreted again). A placeholder naming no column is refused
before anything is sent, with the closest column names.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from server.batches.reading import column_key
from server.errors import ApiError
from server.messages import MESSAGES
from tools.i18n import Text

MAX_TEMPLATE_CHARS = 20_000
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


class TemplateError(ApiError):
    """A template that cannot be applied to the table."""

    status_code = 422
    code = "invalid_template"


@dataclass(frozen=True)
class Template:
    """A text with placeholders, checked against the table's columns."""

    text: str
    keys: tuple[str, ...]

    def render(self, values: dict[str, str]) -> str:
        """The text with each placeholder replaced by the row's value."""
        return _PLACEHOLDER.sub(lambda match: values.get(column_key(match.group(1)), ""), self.text)


def parse_template(text: str, columns: list[str], *, what: Text | None = None) -> Template:
    """A template whose placeholders all name one of `columns` (keys).

    Raises:
        TemplateError: too long, unbalanced braces, an empty placeholder or an unknown column.
    """
    what = what or MESSAGES("batches.what.template")
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(
            MESSAGES("batches.template_too_long", what=what, limit=MAX_TEMPLATE_CHARS),
            code="template_too_long",
        )
    leftover = _PLACEHOLDER.sub("", text)
    if "{{" in leftover or "}}" in leftover:
        position = min(p for p in (leftover.find("{{"), leftover.find("}}")) if p >= 0)
        raise TemplateError(
            MESSAGES("batches.template_braces", what=what, near=leftover[position : position + 20]),
            code="template_syntax",
        )
    keys: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        key = column_key(name)
        if not key:
            raise TemplateError(
                MESSAGES("batches.template_empty_field", what=what, field=match.group(0)),
                code="template_syntax",
            )
        if key not in columns:
            close = difflib.get_close_matches(key, columns, n=3, cutoff=0.5)
            hint = MESSAGES("batches.close_columns", columns=", ".join(close)) if close else ""
            raise TemplateError(
                MESSAGES(
                    "batches.template_unknown_column",
                    what=what,
                    name=name,
                    hint=hint,
                    columns=", ".join(columns),
                ),
                code="unknown_column",
            )
        if key not in keys:
            keys.append(key)
    return Template(text, tuple(keys))
