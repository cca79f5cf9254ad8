"""SharePoint documents as knowledge: read as the user through the documents tool, access re-checked.

Trimming choice: a SharePoint-sourced passage is shown only to users who may read the source item
*now*, checked through Graph (the documents tool's `read_document`, as the user) with a short cache.
Recording the item's access list at index time was the alternative, but the author's token cannot
list who else may read an item, and a recorded list would keep serving people removed from the site
since. Graph stays the single source of truth; the cache bounds the cost to one read per user, item
and `ACCESS_TTL_SECONDS`. A check that fails for any reason (Graph down included) hides the passage.

Each replica has its own cache. When one of them finds an item no longer readable by someone who
could read it (a check after the cache ran out, or a re-index), it tells the others
(`server/work/caches.py`), which drop what they held about that item and ask Graph again: access
withdrawn in Microsoft 365 is not served for up to `ACCESS_TTL_SECONDS` more by another replica.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
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
    # Tells every replica that an item's access changed (`announce_now(pool, Cache.SHAREPOINT, …)`).
    withdrawn: Callable[[str], Awaitable[None]] | None = None
    _cache: dict[tuple[str, str], tuple[bool, float]] = field(default_factory=dict)

    async def may_read(self, user_id: str, token: str, item_id: str) -> bool:
        """True when Graph lets the user read the item."""
        key = (user_id, item_id)
        cached = self._cache.get(key)
        now = time.monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        outcome = await read_item(self.tools, token, item_id)
        if cached is not None and cached[0] and not outcome.ok:
            await self.withdraw(item_id)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = (outcome.ok, now + self.ttl)
        return outcome.ok

    async def withdraw(self, item_id: str) -> None:
        """Someone lost access to the item: every replica asks Graph again (this one at once)."""
        self.forget(item_id)
        if self.withdrawn is not None:
            await self.withdrawn(item_id)

    def forget(self, item_id: str | None) -> None:
        """Drop what is cached about an item (None: about every item)."""
        if item_id is None:
            self._cache.clear()
            return
        for key in [key for key in self._cache if key[1] == item_id]:
            del self._cache[key]

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
