"""What a worker can do: kinds of work items (with their handlers) and periodic tasks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    """One claimed item, as its handler sees it."""

    id: str
    kind: str
    payload: dict[str, Any]
    key: str | None
    attempts: int
    max_attempts: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> WorkItem:
        """From a `work_items` row."""
        return cls(
            id=row["id"],
            kind=row["kind"],
            payload=row["payload"],
            key=row["idempotency_key"],
            attempts=row["attempts"],
            max_attempts=row["max_attempts"],
        )


class WorkFailure(Exception):
    """A handler's failure that trying again cannot fix: the item fails at once with this error."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


Handler = Callable[[WorkItem], Awaitable[dict[str, Any] | None]]
Interrupted = Callable[[WorkItem], Awaitable[None]]


async def _nothing(_: WorkItem) -> None:
    return None


@dataclass(frozen=True)
class WorkKind:
    """A kind of work item and how it is carried out.

    `rerun_safe`: running the handler again after its worker died mid-way does no harm (it is
    idempotent, or it only follows something external). When False, an item whose worker died is
    not run again: `interrupted` reconciles what the dead attempt may have left, then the item fails
    with the code `interrupted`.
    A handler's return value is stored as the item's result; `WorkFailure` fails the item at once;
    any other exception is retried after `retry_seconds` times the attempt number, until the item's
    `max_attempts` (given to `enqueue`).
    """

    name: str
    handler: Handler
    rerun_safe: bool
    interrupted: Interrupted = _nothing
    retry_seconds: float = 5.0


@dataclass(frozen=True)
class PeriodicTask:
    """A task run every `interval` seconds by one process at a time.

    The first run comes `first_delay` after the schedule is first declared. A failure is logged and
    recorded; the next run comes anyway.
    """

    name: str
    interval: float
    run: Callable[[], Awaitable[None]]
    first_delay: float = 0.0


@dataclass
class WorkRegistry:
    """The kinds and periodic tasks one process carries out (each process registers what it can do)."""

    kinds: dict[str, WorkKind] = field(default_factory=dict)
    periodic: dict[str, PeriodicTask] = field(default_factory=dict)

    def add_kind(self, kind: WorkKind) -> None:
        """Handle items of this kind here."""
        if kind.name in self.kinds:
            raise ValueError(f"work kind {kind.name!r} registered twice")
        self.kinds[kind.name] = kind

    def add_periodic(self, task: PeriodicTask) -> None:
        """Take part in running this periodic task."""
        if task.name in self.periodic:
            raise ValueError(f"periodic task {task.name!r} registered twice")
        self.periodic[task.name] = task
