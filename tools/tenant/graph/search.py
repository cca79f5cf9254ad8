"""Full-text search over the documents (BM25 on sections), with Graph's highlighted summaries."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from tools.doctext.folding import terms, word_spans
from tools.tenant.graph.store import Content, Document

_PATH = re.compile(r'\bpath:"([^"]+)"|\bpath:(\S+)', re.IGNORECASE)
_K1, _B, _TITLE_BOOST = 1.2, 0.75, 2.0
_SUMMARY_WORDS = 30


@dataclass(frozen=True)
class Query:
    """A KQL query string reduced to what the local tenant understands: terms and `path:` scopes."""

    terms: tuple[str, ...]
    paths: tuple[str, ...]

    @classmethod
    def parse(cls, query_string: str) -> Query:
        """Split `path:"…"` restrictions from free text; AND/OR operators are ignored."""
        paths = tuple((m.group(1) or m.group(2)).rstrip("/").casefold() for m in _PATH.finditer(query_string))
        free = _PATH.sub(" ", query_string)
        words = [t for t in terms(free) if t not in ("and", "or", "not")]
        return cls(terms=tuple(dict.fromkeys(words)), paths=paths)


@dataclass(frozen=True)
class Hit:
    """One matching document, with its score and the summary Graph would show."""

    document: Document
    score: float
    summary: str


Span = tuple[int, int, str]  # a word's start and end in its text, and its folded term


@dataclass(frozen=True)
class _Entry:
    """A document as the index reads it, computed once: queries only look its words up."""

    document: Document
    section_terms: tuple[Counter[str], ...]
    section_spans: tuple[list[Span], ...]  # for the highlighted summary
    totals: Counter[str]  # the whole document's terms
    title_terms: frozenset[str]
    length: int


def _entry(document: Document) -> _Entry:
    section_terms = tuple(Counter(terms(section.text)) for section in document.sections)
    totals: Counter[str] = Counter()
    for counts in section_terms:
        totals.update(counts)
    return _Entry(
        document=document,
        section_terms=section_terms,
        section_spans=tuple(word_spans(section.text) for section in document.sections),
        totals=totals,
        title_terms=frozenset(terms(document.item.name.rsplit(".", 1)[0])),
        length=sum(totals.values()),
    )


class SearchIndex:
    """An in-memory index of every document; access is filtered by the caller, per query."""

    def __init__(self, content: Content) -> None:
        self._entries = [_entry(doc) for doc in content.documents.values()]
        count = max(len(self._entries), 1)
        self._average_length = sum(e.length for e in self._entries) / count or 1.0
        frequency: Counter[str] = Counter()
        for entry in self._entries:
            frequency.update(set().union(*entry.section_terms) if entry.section_terms else set())
        self._idf = {term: math.log(1 + (count - n + 0.5) / (n + 0.5)) for term, n in frequency.items()}

    def search(self, query: Query, visible: set[tuple[str, str]]) -> list[Hit]:
        """Documents among `visible` (drive id, item id) matching every scope and at least one term."""
        hits = []
        for entry in self._entries:
            key = (entry.document.site.drive_id, entry.document.item.id)
            if key not in visible or not self._in_scope(entry.document, query.paths):
                continue
            score = self._score(entry, query.terms)
            if score > 0:
                hits.append(Hit(entry.document, score, self._summary(entry, query.terms)))
        hits.sort(key=lambda hit: (-hit.score, hit.document.item.name))
        return hits

    @staticmethod
    def _in_scope(document: Document, paths: tuple[str, ...]) -> bool:
        url = f"{document.site.web_url.rstrip('/')}/".casefold()
        return all(url.startswith(f"{path}/") for path in paths)

    def _score(self, entry: _Entry, query_terms: tuple[str, ...]) -> float:
        totals = entry.totals
        norm = _K1 * (1 - _B + _B * entry.length / self._average_length)
        score = 0.0
        for term in query_terms:
            tf = totals.get(term, 0)
            if tf:
                score += self._idf.get(term, 0.0) * tf * (_K1 + 1) / (tf + norm)
            if term in entry.title_terms:
                score += _TITLE_BOOST
        return score

    @staticmethod
    def _summary(entry: _Entry, query_terms: tuple[str, ...]) -> str:
        wanted = set(query_terms)
        best = max(
            range(len(entry.section_terms)),
            key=lambda i: sum(entry.section_terms[i][t] for t in wanted),
            default=None,
        )
        if best is None:
            return ""
        return highlight(entry.document.sections[best].text, wanted, entry.section_spans[best])


def highlight(text: str, wanted: set[str], spans: list[Span] | None = None) -> str:
    """A window of the text around the first match, matches wrapped in `<c0>`, cuts marked `<ddd/>`.

    `spans`: the text's `word_spans`, when the caller keeps them.
    """
    spans = word_spans(text) if spans is None else spans
    first = next((i for i, span in enumerate(spans) if span[2] in wanted), 0)
    start = max(0, first - _SUMMARY_WORDS // 3)
    window = spans[start : start + _SUMMARY_WORDS]
    if not window:
        return ""
    out, cursor = [], window[0][0]
    for begin, end, term in window:
        out.append(text[cursor:begin])
        word = text[begin:end]
        out.append(f"<c0>{word}</c0>" if term in wanted else word)
        cursor = end
    body = " ".join("".join(out).split())
    prefix = "<ddd/> " if start > 0 else ""
    suffix = " <ddd/>" if start + _SUMMARY_WORDS < len(spans) else ""
    return f"{prefix}{body}{suffix}"
