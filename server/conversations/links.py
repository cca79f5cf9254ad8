"""Where an exported citation points: the same place the web app's link opens.

An export leaves the app, so each link is absolute. Documents of the embedded tenant open in the
app's own viewer at the cited page (their SharePoint address names a production host that opens
nothing); in production a SharePoint PDF opens at its address, at the cited page. Transcripts open
the app's transcript page at the cited cues. Mirrors `web/src/chat/documentLinks.ts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

_PAGE = re.compile(r"^page (\d+)$", re.IGNORECASE)
_PDF = re.compile(r"\.pdf(?:$|[?#])", re.IGNORECASE)


@dataclass(frozen=True)
class CitationLinks:
    """`origin`: the web app as users reach it; `viewer`: documents open in the app's viewer."""

    origin: str
    viewer: bool

    def of(self, citation: dict[str, Any]) -> str | None:
        """The absolute address a stored citation opens at, or None when it has none."""
        url = str(citation.get("url") or "")
        if citation.get("source") == "attachment":  # the conversation's own file: nothing to link to
            return None
        if citation.get("source") == "transcript":
            return self._absolute(url) if url else None
        if not self.viewer and url.startswith(("https://", "http://")):
            return _at_page(url, str(citation.get("locator") or ""))
        if not citation.get("id"):
            return None
        source = "knowledge" if citation.get("source") == "knowledge" else "sharepoint"
        path = f"/documents/{source}/{quote(str(citation['id']), safe='')}"
        if citation.get("locator"):
            path += f"?at={quote(str(citation['locator']), safe='')}"
        return self._absolute(path)

    def _absolute(self, url: str) -> str:
        return f"{self.origin.rstrip('/')}{url}" if url.startswith("/") else url


def _at_page(url: str, locator: str) -> str:
    """A PDF's address at the cited page (`#page=9`, which browsers and SharePoint's viewer follow)."""
    page = _PAGE.match(locator.strip())
    if page is None or not _PDF.search(url):
        return url
    return f"{url.split('#')[0]}#page={page.group(1)}"
