"""Closing the runs whose host process died (start-up and a periodic task of every process).

Only runs whose owner is gone are touched: a replica starting next to others leaves their runs alone.
"""

from __future__ import annotations

import logging

from server.chat import repository
from server.chat.hub import INTERRUPTED
from server.work import PeriodicTask
from tools.database import Pool

logger = logging.getLogger(__name__)


async def interrupt_orphaned_runs(pool: Pool, lease_seconds: float) -> int:
    """Mark interrupted (and close the streams of) the running runs whose host is gone; how many."""
    closed = 0
    for run_id in await repository.orphaned_runs(pool, lease_seconds):
        closed += await repository.interrupt_run(pool, run_id, INTERRUPTED)
    if closed:
        logger.warning("%d runs of stopped processes marked interrupted", closed)
    return closed


def recovery_task(pool: Pool, lease_seconds: float) -> PeriodicTask:
    """`chat.recover`, every lease: a run whose replica was killed does not stay « running »."""

    async def run() -> None:
        await interrupt_orphaned_runs(pool, lease_seconds)

    return PeriodicTask("chat.recover", lease_seconds, run)
