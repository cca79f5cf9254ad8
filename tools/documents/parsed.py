"""Documents' sections kept by version (eTag): a file read again is neither downloaded nor parsed again.

Reading a document costs a download and a parse (a PDF's pages, a DOCX's headings: tens of
milliseconds of CPU for a regulation). Graph gives every version of a file its own `cTag` (content)
and `eTag`: the sections of a version are kept, bounded (least recently used first out, and by total
size), and answered again only after the caller's own metadata read of the item succeeded — Graph
checks their access on every read, the cache never does it for them. Parsing runs in a bounded child
process (`tools.doctext.bounded.sections_bounded`): anyone able to put a file on a site can craft one
that keeps a parser busy for minutes or inflates gigabytes, and it must neither hold the server's
event loop nor exhaust the process hosting the tool (the API's, when tools run in process).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from tools.doctext import Section

MAX_DOCUMENTS = 64
MAX_CHARACTERS = 8_000_000  # of text kept across documents (≈ 16 MB at most)

Key = tuple[str, str, str]  # drive, item, version tag


class ParsedDocuments:
    """Sections by (drive, item, version), bounded in count and characters."""

    def __init__(self, documents: int = MAX_DOCUMENTS, characters: int = MAX_CHARACTERS) -> None:
        self._documents = documents
        self._characters = characters
        self._kept: OrderedDict[Key, tuple[list[Section], int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> list[Section] | None:
        """The sections kept for this version, or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
            return found[0]

    def put(self, key: Key, sections: list[Section]) -> None:
        """Keep `sections` for this version (a document larger than the whole bound is not kept)."""
        size = sum(len(section.text) for section in sections)
        if size > self._characters:
            return
        with self._lock:
            if key in self._kept:
                self._size -= self._kept.pop(key)[1]
            self._kept[key] = (sections, size)
            self._size += size
            while len(self._kept) > self._documents or self._size > self._characters:
                self._size -= self._kept.popitem(last=False)[1][1]

    def __len__(self) -> int:
        return len(self._kept)
