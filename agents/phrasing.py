"""« to » and « of » a name in the run's language.

French contracts: « à le » is « au », « de le » is « du », before a vowel « d' »; English says plain
« to … » and « of … ».
"""

from __future__ import annotations

import re

from agents.messages import run_language

_VOWEL_START = re.compile(r"^[aeiouyhéèêëàâîïôöûüœæ]", re.IGNORECASE)
# (article, « à » + article, « de » + article); « la » and « l' » do not contract.
_ARTICLES = (("les ", "aux ", "des "), ("le ", "au ", "du "))


def to_whom(name: str) -> str:
    """« à la cellule… », « au service… », « aux ressources humaines… », « à l'accueil… » (« to … »)."""
    if run_language() == "en":
        return f"to {name.strip()}"
    return _contract(name.strip(), 1, "à ")


def of_whom(name: str) -> str:
    """« de Julien Perrin », « d'Hélène Marchal », « du service… », « des ressources humaines… »; « of … »."""
    name = name.strip()
    if run_language() == "en":
        return f"of {name}"
    if _VOWEL_START.match(name) and not name.lower().startswith(("le ", "la ", "les ")):
        return f"d'{name}"
    return _contract(name, 2, "de ")


def _contract(name: str, column: int, plain: str) -> str:
    lowered = name.lower()
    for forms in _ARTICLES:
        if lowered.startswith(forms[0]):
            return forms[column] + name[len(forms[0]) :]
    return plain + name
