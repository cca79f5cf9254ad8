"""Lists of catalogue texts shown as one text (what a record lacks, a catalogue's problems).

A list built from texts must stay a `Text` so that each item reaches the reader in their language;
joining the French strings would fix the list in French.
"""

from __future__ import annotations

from collections.abc import Sequence

from tools.i18n import LANGUAGES, Text


def joined(texts: Sequence[Text], separator: str | Text = ", ") -> Text:
    """One text listing `texts`, each (and the separator) rendered in the reader's language."""
    parts = {f"part{index}": text for index, text in enumerate(texts)}
    templates = {}
    for language in LANGUAGES:
        between = separator.render(language) if isinstance(separator, Text) else separator
        between = between.replace("{", "{{").replace("}", "}}")
        templates[language] = between.join(f"{{{name}}}" for name in parts)
    return Text("joined", templates, parts)
