"""Fixed texts in French (the default) and English: message catalogues keyed by id, and the caller's language.

The server and the agents each keep a catalogue (`server/messages.py`, `agents/messages.py`); a text is
built where it is decided (`MESSAGES("id", **params)`) and rendered in the reader's language where it
is shown, so that a text decided deep in a service still reaches an English reader in English.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

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
    """A fixed text with its parameters, rendered in the reader's language when shown.

    A parameter is a value, a nested text, or a list of them (rendered joined by spaces).
    """

    key: str
    templates: Mapping[Language, str]
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, language: Language = DEFAULT_LANGUAGE) -> str:
        """The text in `language`, parameters filled in (nested texts rendered in the same language)."""
        values = {name: _rendered(value, language) for name, value in self.params.items()}
        return self.templates[language].format(**values)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def stored(self) -> dict[str, Any]:
        """The text as JSON to keep in a row (`{"id", "params"}`), rendered again when it is read.

        Nested texts are kept the same way under `{"text": …}`; other parameters must be JSON values.
        """
        return {"id": self.key, "params": {name: _kept(value) for name, value in self.params.items()}}


def _rendered(value: object, language: Language) -> object:
    """A parameter in `language`: a text rendered, a list of parts rendered and joined by spaces."""
    if isinstance(value, Text):
        return value.render(language)
    if isinstance(value, list | tuple):
        return " ".join(str(_rendered(part, language)) for part in value)
    return value


def _kept(value: object) -> object:
    if isinstance(value, Text):
        return {"text": value.stored()}
    if isinstance(value, list | tuple):
        return [_kept(part) for part in value]
    return value


def kept(text: str | Text) -> tuple[str, dict[str, Any] | None]:
    """A text to store in a row: its French sentence (what older readers show) and its id and parameters.

    A plain string (a runner's or an upstream's own words) has no id: it is kept and shown as it is.
    """
    if isinstance(text, Text):
        return text.render(DEFAULT_LANGUAGE), text.stored()
    return text, None


@functools.cache
def _french_pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts))


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
        """The text `Text.stored()` described (a bounded reader's answer), rebuilt from this catalogue.

        Raises:
            ValueError: not such a description, an id this catalogue does not hold, or a parameter
                missing (it could not be rendered).
        """
        text = self.restore(data)
        if text is None:
            raise ValueError(f"not a text of this catalogue: {data!r:.200}")
        entry = self.entries[text.key]
        if not placeholders(entry["fr"]) | placeholders(entry["en"]) <= text.params.keys():
            raise ValueError(f"text {text.key!r} without all its parameters")
        return text

    def text(self, key: str, language: Language, **params: object) -> str:
        """The text `key` rendered in `language` at once."""
        return self(key, **params).render(language)

    def restore(self, stored: object) -> Text | None:
        """A text kept with `Text.stored()`, or None when there is none or this release does not know it."""
        if not isinstance(stored, Mapping) or stored.get("id") not in self.entries:
            return None
        try:
            params = {name: self._restored(value) for name, value in (stored.get("params") or {}).items()}
        except LookupError:  # a nested text this release does not know
            return None
        return self(str(stored["id"]), **params)

    def _restored(self, value: object) -> object:
        if isinstance(value, Mapping) and set(value) == {"text"}:
            text = self.restore(value["text"])
            if text is None:
                raise LookupError(value)
            return text
        if isinstance(value, list):
            return [self._restored(part) for part in value]
        return value

    def shown(self, sentence: str, stored: object, language: Language) -> str:
        """What a row keeps, in the reader's language: its stored text rendered, else its sentence.

        Rows written before texts were stored (or by a newer release, with an id or parameters this
        one does not know) keep the French sentence written beside it, shown as it is.
        """
        text = self.restore(stored)
        if text is None:
            return sentence
        try:
            return text.render(language)
        except (KeyError, IndexError, ValueError):  # its parameters no longer fit the template
            return sentence

    def recognise(self, sentence: str, keys: tuple[str, ...]) -> Text | None:
        """The text among `keys` whose French gives `sentence` (its parameters read back), None if none.

        For short texts of a closed set stored in French only (a match's reasons): parameters are read
        as strings, so only texts whose parameters are shown as they are may be recognised.
        """
        for key in keys:
            found = _french_pattern(self.entries[key]["fr"]).fullmatch(sentence)
            if found is not None:
                return self(key, **found.groupdict())
        return None

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
