"""Health vocabulary: diagnoses, treatments, examinations, symptoms, care (`medical_terms.txt`).

Read on the folded views (lower case, no accents, spaced-out and cut words joined, digits standing
for letters read as letters). Stems, words and care units are found in one pass by an Aho-Corasick
automaton (pyahocorasick, in C: a regular expression of the same ~500 alternatives costs Python's
engine about 0.7 µs per character, a transcript's prompt tens of milliseconds); the word boundary
is checked on each hit. Phrases are tried only where their gate, a literal every match holds, is in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick

_STEM, _WORD, _DEPARTMENT, _SUFFIX = "stems", "words", "departments", "suffixes"
_SUFFIXED = 3  # letters before a drug name's ending (« cisplatine », not « la platine »)
# Misspellings read as the stem (« alzeimer », « hémoragie », « halucination »): a silent « h »
# dropped, a double letter written once. Only for stems this long: a shorter variant would start
# ordinary words (« thrombo » → « trombo », « trombone »).
_VARIANT_MIN = 7
_SILENT_H = re.compile(r"(?<![cps])h")
_DOUBLE = re.compile(r"([a-z])\1")
_FILE = Path(__file__).with_name("medical_terms.txt")
# What makes a care unit a place where this person is cared for, not where someone works.
_CARE = (
    r"(?:hospitalise\w*|admise?s?|transferee?s?|suivie?s?|soignee?s?|operee?s?|pris\w*\s+en\s+charge|"
    r"consulte\w*|vue?s?|rdv|rendezvous|rendez vous|sejour|passee?s?|entree?s?|sortie?s?|hospitalisation|"
    r"consultation|examinee?s?|accueillie?s?|orientee?s?|adressee?s?|convoquee?s?|est|sont|etait|reste)"
)
_INTO = (
    r"\s+(?:en|aux?|a\s+la|a\s+l|dans\s+(?:le|un)\s+service\s+d\w*|au\s+service\s+d\w*|a\s+l\s+unite\s+d\w*)"
)


def trie(words: Iterable[str]) -> str:
    """One regular expression matching any of `words` (literals), alternatives sharing prefixes."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(root)


@dataclass(frozen=True)
class Vocabulary:
    """The compiled vocabulary."""

    terms: ahocorasick.Automaton  # stems (prefixes of a word) and whole words
    endings: ahocorasick.Automaton  # drug names' endings, reversed (read on the reversed text)
    phrases: tuple[tuple[str, re.Pattern[str]], ...]
    in_care: re.Pattern[str]
    excluded: re.Pattern[str]

    def found_in(self, text: str) -> bool:
        """True when `text` (a folded view) holds a term, a phrase or a care unit after a care verb."""
        department = False
        for end, (kind, length) in self.terms.iter(text):
            start = end - length + 1
            if start and text[start - 1].isalnum():
                continue
            if kind != _STEM and end + 1 < len(text) and text[end + 1].isalnum():
                continue
            if kind == _DEPARTMENT:
                department = True
            elif not self.excluded.match(text, start):
                return True
        if self._drug_in(text):
            return True
        for gate, phrase in self.phrases:
            if gate in text:
                for match in phrase.finditer(text):
                    start = match.start()
                    if (not start or not text[start - 1].isalnum()) and not self.excluded.match(text, start):
                        return True
        return department and self.in_care.search(text) is not None

    def _drug_in(self, text: str) -> bool:
        """A word ending as a drug's international name does, read backwards in one pass."""
        backwards = text[::-1]
        for end, length in self.endings.iter(backwards):
            start = end - length + 1  # in `backwards`: the word's end is at `start`
            if start and backwards[start - 1].isalnum():
                continue
            before = backwards[end + 1 : end + 1 + _SUFFIXED]
            if len(before) == _SUFFIXED and before.isalpha():
                return True
        return False


def misspellings(stem: str) -> set[str]:
    """Ways `stem` is commonly misspelt: one silent « h » dropped, or one double letter single."""
    if len(stem) < _VARIANT_MIN:
        return set()
    variants = {stem[: match.start()] + stem[match.end() :] for match in _SILENT_H.finditer(stem)}
    variants |= {stem[: match.start()] + stem[match.start() + 1 :] for match in _DOUBLE.finditer(stem)}
    return {variant for variant in variants if len(variant) >= _VARIANT_MIN}


def _sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in _FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        elif current in {"phrases", "excluded"}:
            sections[current].append(line)
        else:
            sections[current] += line.split()
    return sections


@cache
def vocabulary() -> Vocabulary:
    """The compiled vocabulary (built once per process)."""
    sections = _sections()
    phrases = []
    for line in sections["phrases"]:
        gate, _, expression = line.partition(" | ")
        phrases.append((gate, re.compile(expression)))
    terms = ahocorasick.Automaton()
    for kind in (_DEPARTMENT, _WORD, _STEM):  # a stem wins over a word spelt the same
        for term in sections[kind]:
            terms.add_word(term, (kind, len(term)))
    known = set(sections[_STEM]) | set(sections[_WORD])
    for stem in sections[_STEM]:
        for variant in misspellings(stem) - known:
            terms.add_word(variant, (_STEM, len(variant)))
    terms.make_automaton()
    endings = ahocorasick.Automaton()
    for ending in sections[_SUFFIX]:
        endings.add_word(ending[::-1], len(ending))
    endings.make_automaton()
    departments = trie(sections[_DEPARTMENT])
    return Vocabulary(
        terms=terms,
        endings=endings,
        phrases=tuple(phrases),
        in_care=re.compile(rf"\b{_CARE}{_INTO}\s*{departments}\b"),
        excluded=re.compile("|".join(f"(?:{line})" for line in sections["excluded"])),
    )


def has_health_terms(folded: str, unleeted: str) -> bool:
    """True when either view holds a term of the vocabulary."""
    words = vocabulary()
    return words.found_in(folded) or (unleeted is not folded and words.found_in(unleeted))
