"""Periodic health checks of the registered servers (Ariane's own are checked at every start)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import anyio
import psycopg

from server.registry import repository
from server.registry.connect import ConnectError
from server.registry.schemas import ServerStatus, Transport
from server.registry.service import SYSTEM, RegistryService

logger = logging.getLogger(__name__)


async def check_all(registry: RegistryService) -> dict[str, str]:
    """Check every active registered server once; server name → health."""
    async with registry.pool.connection() as conn:
        rows = await repository.list_servers(conn)
    results: dict[str, str] = {}
    for row in rows:
        if row["transport"] == Transport.BUILTIN or row["status"] != ServerStatus.ACTIVE:
            continue
        try:
            results[row["name"]] = (await registry.check(row["name"], SYSTEM)).health
        except (ConnectError, ValueError) as error:  # e.g. secrets sealed with another key
            results[row["name"]] = "failing"
            logger.warning("health check of %s failed: %s", row["name"], error)
    return results


async def health_loop(registry: RegistryService, interval: float) -> None:
    """Check the registered servers every `interval` seconds, until cancelled (the app's lifespan)."""
    while True:
        await anyio.sleep(interval)
        try:
            changed = await check_all(registry)
        except psycopg.Error as error:  # database away or not migrated: try again next time
            logger.warning("registry health checks skipped: %s", error)
            continue
        logger.info("registry health: %s", changed)


@asynccontextmanager
async def health_checks(registry: RegistryService, interval: float) -> AsyncIterator[None]:
    """Run `health_loop` in the background while the app serves (nothing when `interval` is 0)."""
    task = asyncio.create_task(health_loop(registry, interval)) if interval > 0 else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
