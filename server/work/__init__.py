"""Work claimed from PostgreSQL: a queue of items with leases, periodic tasks, LISTEN/NOTIFY wake-ups.

A feature adds a kind of work with `WorkKind` (and, for something to do every so often,
`PeriodicTask`) registered in the `WorkRegistry` of the processes that can carry it out, and queues
items with `enqueue`; see AGENTS.md, « Background work ».
"""

from server.work.caches import CACHE_CHANNEL, Cache, CacheNotices, announce
from server.work.kinds import PeriodicTask, WorkFailure, WorkItem, WorkKind, WorkRegistry
from server.work.notifications import Notifications
from server.work.presence import Presence
from server.work.queue import enqueue
from server.work.repository import WORK_CHANNEL
from server.work.worker import Worker, WorkerConfig

__all__ = [
    "CACHE_CHANNEL",
    "WORK_CHANNEL",
    "Cache",
    "CacheNotices",
    "Notifications",
    "PeriodicTask",
    "Presence",
    "WorkFailure",
    "WorkItem",
    "WorkKind",
    "WorkRegistry",
    "Worker",
    "WorkerConfig",
    "announce",
    "enqueue",
]
