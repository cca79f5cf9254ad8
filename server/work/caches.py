"""Caches of one process dropped when another process changes what they hold (LISTEN/NOTIFY).

Every process keeps short-lived copies of what each request reads (the policy in force, assistants'
bindings, service keys, SharePoint read checks) and runs hold their tool grants. The process that
changes one of these tells every process, itself included, on `CACHE_CHANNEL` in the transaction of
the change (delivered at commit); each drops the entry named, or everything of that cache when the
notice says no key — or when the notifications connection was lost, since notices sent meanwhile
are gone. A cache still expires on its own after its refresh time: a notice only makes it sooner.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from enum import StrEnum

from psycopg import AsyncConnection
from psycopg.rows import DictRow

from server.work import repository
from server.work.notifications import Notifications
from tools.database import Pool

logger = logging.getLogger(__name__)
CACHE_CHANNEL = "ariane_caches"
Forget = Callable[[str | None], None]  # the key changed, or None: anything may have changed


class Cache(StrEnum):
    """The caches a change is announced to."""

    POLICY = "policy"
    ASSISTANT = "assistant"
    SERVICE_KEY = "service_key"
    REGISTRY = "registry"
    SHAREPOINT = "sharepoint"


async def announce(conn: AsyncConnection[DictRow], cache: Cache, key: str | None = None) -> None:
    """Tell every process that `key` of `cache` changed (None: all of it); sent when `conn` commits."""
    await repository.notify(conn, CACHE_CHANNEL, json.dumps({"cache": cache.value, "key": key}))


async def announce_now(pool: Pool, cache: Cache, key: str | None = None) -> None:
    """`announce` outside any transaction (what changed is not Ariane's: a read check's outcome)."""
    async with pool.connection() as conn:
        await announce(conn, cache, key)


class CacheNotices:
    """Routes the notices of `CACHE_CHANNEL` to the caches of this process."""

    def __init__(self, notifications: Notifications | None) -> None:
        self._forgets: dict[Cache, list[Forget]] = {cache: [] for cache in Cache}
        if notifications is not None:
            notifications.subscribe(CACHE_CHANNEL, self.received)

    def on(self, cache: Cache, forget: Forget) -> None:
        """Call `forget(key)` when `cache` changes; it runs on the event loop and must not block."""
        self._forgets[cache].append(forget)

    def received(self, payload: str | None) -> None:
        """A notice (None after a lost connection: every cache forgets everything)."""
        if payload is None:
            for forgets in self._forgets.values():
                for forget in forgets:
                    forget(None)
            return
        try:
            notice = json.loads(payload)
            cache, key = Cache(notice["cache"]), notice.get("key")
        except (ValueError, KeyError, TypeError):
            logger.warning("cache notice not understood: %.200s", payload)
            return
        for forget in self._forgets[cache]:
            forget(key if isinstance(key, str) else None)
