"""SharePoint documents as knowledge: read as the user through the documents tool, access re-checked.

Trimming choice: a SharePoint-sourced passage is shown only to users who may read the source item
*now*, checked through Graph (the documents tool's `read_document`, as the user) with a short cache.
Recording the item's access list at index time was the alternative, but the author's token cannot
list who else may read an item, and a recorded list would keep serving people removed from the site
since. Graph stays the single source of truth; the cache bounds the cost to one read per user, item
and `ACCESS_TTL_SECONDS`. A check that fails for any reason (Graph down included) hides the passage.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agents.toolbox import ToolBox, ToolConnector, ToolOutcome

ACCESS_TTL_SECONDS = 120.0
_CACHE_LIMIT = 10_000


async def _silent(kind: object, data: object) -> None:
    return None


async def read_item(tools: ToolConnector, token: str, item_id: str) -> ToolOutcome:
    """`read_document(item_id)` as the user: sections with locators, title, url, or a tool error."""
    async with ToolBox(tools, token, datetime.now().astimezone(), _silent) as toolbox:
        return await toolbox.call("documents", "read_document", {"id": item_id})


@dataclass
class SharePointAccess:
    """Whether a user may read a SharePoint item now, cached for a short while."""

    tools: ToolConnector
    ttl: float = ACCESS_TTL_SECONDS
    _cache: dict[tuple[str, str], tuple[bool, float]] = field(default_factory=dict)

    async def may_read(self, user_id: str, token: str, item_id: str) -> bool:
        """True when Graph lets the user read the item."""
        key = (user_id, item_id)
        cached = self._cache.get(key)
        now = time.monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        outcome = await read_item(self.tools, token, item_id)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = (outcome.ok, now + self.ttl)
        return outcome.ok

    def remember(self, user_id: str, item_id: str) -> None:
        """The user just read the item (indexing): no need to ask again soon."""
        self._cache[(user_id, item_id)] = (True, time.monotonic() + self.ttl)

    async def trim(self, user_id: str, token: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows the user may see: SharePoint-sourced ones only when the item is readable."""
        kept = []
        for row in rows:
            item = row.get("source_item")
            if row.get("source") != "sharepoint" or (item and await self.may_read(user_id, token, item)):
                kept.append(row)
        return kept
