"""Fixed texts in French (the default) and English: message catalogues keyed by id, and the caller's language.

The server and the agents each keep a catalogue (`server/messages.py`, `agents/messages.py`); a text is
built where it is decided (`MESSAGES("id", **params)`) and rendered in the reader's language where it
is shown, so that a text decided deep in a service still reaches an English reader in English.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
DEFAULT_LANGUAGE: Language = "fr"


def negotiate(header: str | None) -> Language:
    """The language to answer in from an `Accept-Language` header: the first of ours by weight, else French.

    `en-GB;q=0.8, fr;q=0.5` → English; `de` or nothing → French.
    """
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        if primary not in LANGUAGES:
            continue
        weight = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        if weight <= 0:
            continue
        candidate = (-weight, position, primary)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best is not None else DEFAULT_LANGUAGE


def as_language(value: object) -> Language:
    """A stored or sent language code, French when unknown (old records have none)."""
    return "en" if value == "en" else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Text:
    """A fixed text with its parameters, rendered in the reader's language when shown."""

    key: str
    templates: Mapping[Language, str]
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, language: Language = DEFAULT_LANGUAGE) -> str:
        """The text in `language`, parameters filled in (nested texts rendered in the same language)."""
        values = {
            name: value.render(language) if isinstance(value, Text) else value
            for name, value in self.params.items()
        }
        return self.templates[language].format(**values)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def as_json(self) -> dict[str, object]:
        """Its id and parameters (nested texts likewise), for a bounded reader to hand back to its parent."""
        params = {
            name: value.as_json() if isinstance(value, Text) else value for name, value in self.params.items()
        }
        return {"key": self.key, "params": params}


def placeholders(template: str) -> set[str]:
    """The names a template fills in (`{model}` → `model`)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class Catalogue:
    """Messages by id, each in French and English (`{"id": {"fr": …, "en": …}}`)."""

    def __init__(self, entries: Mapping[str, Mapping[str, str]]) -> None:
        self.entries = entries

    def __call__(self, key: str, **params: object) -> Text:
        """The text `key` with its parameters (KeyError for an unknown id: a bug, found by the tests)."""
        entry = self.entries[key]
        return Text(key, {"fr": entry["fr"], "en": entry["en"]}, params)

    def revive(self, data: object) -> Text:
        """The text `Text.as_json` described, rebuilt from this catalogue.

        Raises:
            ValueError: not such a description, an id this catalogue does not hold, or a parameter
                missing.
        """
        if not isinstance(data, dict) or not isinstance(data.get("params"), dict):
            raise ValueError("not a text")
        key = data.get("key")
        if not isinstance(key, str) or key not in self.entries:
            raise ValueError(f"unknown text {key!r}")
        params = {
            str(name): self.revive(value) if isinstance(value, dict) else value
            for name, value in data["params"].items()
        }
        entry = self.entries[key]
        if not placeholders(entry["fr"]) | placeholders(entry["en"]) <= params.keys():
            raise ValueError(f"text {key!r} without all its parameters")  # it could not be rendered
        return self(key, **params)

    def text(self, key: str, language: Language, **params: object) -> str:
        """The text `key` rendered in `language` at once."""
        return self(key, **params).render(language)

    def problems(self) -> list[str]:
        """Ids whose English is missing, empty, unparsable or fills in other names than the French."""
        found = []
        for key, entry in self.entries.items():
            french, english = entry.get("fr", ""), entry.get("en", "")
            try:
                if not french or not english or placeholders(french) != placeholders(english):
                    found.append(key)
            except ValueError:
                found.append(key)
        return found


def joined(texts: Sequence[Text], separator: str | Text = ", ") -> Text:
    """One text listing `texts`, each (and the separator) rendered in the reader's language.

    A list built from texts must stay a `Text` so that each item reaches the reader in their language;
    joining the French strings would fix the list in French.
    """
    parts = {f"part{index}": text for index, text in enumerate(texts)}
    templates: dict[Language, str] = {}
    for language in LANGUAGES:
        between = separator.render(language) if isinstance(separator, Text) else separator
        between = between.replace("{", "{{").replace("}", "}}")
        templates[language] = between.join(f"{{{name}}}" for name in parts)
    return Text("joined", templates, parts)
