"""Workers on a real database: a pool per test, workers started and always stopped."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack

import pytest

from server.work import Notifications, Presence, Worker, WorkerConfig, WorkRegistry
from server.work.repository import WORK_CHANNEL
from tools.database import Pool, open_pool

FAST = WorkerConfig(concurrency=4, lease_seconds=30.0, heartbeat_seconds=0.2, idle_seconds=300.0)


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    opened = await open_pool(database_url, max_size=8)
    yield opened
    await opened.close()


@pytest.fixture
async def start_worker(pool: Pool, database_url: str) -> AsyncIterator[Callable[..., object]]:
    """`await start_worker(registry, config=…)`: a started worker with its own notifications."""
    async with AsyncExitStack() as stack:

        async def start(registry: WorkRegistry, config: WorkerConfig = FAST, role: str = "worker") -> Worker:
            notifications = Notifications(database_url, (WORK_CHANNEL,))
            await notifications.start()
            stack.push_async_callback(notifications.close)
            worker = Worker(pool, registry, Presence.of_this_process(role), notifications, config)
            await worker.start()
            stack.push_async_callback(worker.close)
            return worker

        yield start
