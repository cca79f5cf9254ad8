"""Stopping background tasks for sure.

On Python 3.11 `asyncio.wait_for` can swallow a cancellation that arrives just as what it waits for
completes (fixed in 3.12): a loop built on it may then go round again instead of stopping, and
whoever awaits it waits forever. So a stop cancels again until the tasks are done, bounded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

logger = logging.getLogger(__name__)
_ATTEMPTS = 20
_EVERY_SECONDS = 0.5


async def cancel_and_wait(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Cancel the tasks and wait for them, cancelling again those that swallowed it (bounded)."""
    pending = {task for task in tasks if not task.done()}
    for _ in range(_ATTEMPTS):
        if not pending:
            return
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=_EVERY_SECONDS)
    if pending:
        logger.error("%d background tasks did not stop: %s", len(pending), [t.get_name() for t in pending])
