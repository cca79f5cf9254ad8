"""Periodic health checks of the registered servers (Ariane's own are checked at every start)."""

from __future__ import annotations

import logging

from server.registry import repository
from server.registry.connect import ConnectError
from server.registry.schemas import ServerStatus, Transport
from server.registry.service import SYSTEM, RegistryService
from server.work import PeriodicTask

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


def health_task(registry: RegistryService, interval: float) -> PeriodicTask | None:
    """The periodic health check of registered servers, run by one worker at a time (None when 0)."""
    if interval <= 0:
        return None

    async def run() -> None:
        logger.info("registry health: %s", await check_all(registry))

    return PeriodicTask("registry.health", interval, run, first_delay=interval)
