"""The daily retention purge, a periodic task of the workers (only when `audit_retention_days` > 0)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import psycopg
from opentelemetry import trace

from server.audit.anchors import AnchorBook
from server.audit.retention import RetentionRefusedError, cutoff_for, purge
from server.work import PeriodicTask
from tools.database import Pool

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("ariane.audit.retention")

DAY_SECONDS = 86400.0
FIRST_DELAY_SECONDS = 60.0  # not in the middle of the start: the first purge a minute after it


async def purge_once(pool: Pool, book: AnchorBook, days: int, now: float | None = None) -> None:
    """One purge at `now - days`; a refusal or a database failure is logged, never raised (tomorrow again)."""
    cutoff = cutoff_for(days, now)
    with tracer.start_as_current_span("audit.retention") as span:
        span.set_attribute("ariane.audit.retention.cutoff", cutoff.isoformat())
        try:
            report = await purge(pool, book, cutoff)
        except RetentionRefusedError as exc:
            logger.error("audit retention purge refused: %s", exc)
            span.set_attribute("ariane.audit.retention.refused", str(exc))
            return
        except psycopg.Error as exc:
            logger.error("audit retention purge failed: %s", exc)
            return
        span.set_attribute("ariane.audit.retention.deleted", report.deleted)
        if report.cut is not None:
            logger.info(
                "audit retention: %d records of %d runs deleted up to %d (recorded before %s)",
                report.deleted,
                report.cut.runs,
                report.cut.upto,
                report.cut.cutoff,
            )


def retention_task(
    pool: Pool, book: AnchorBook, days: int, *, clock: Callable[[], float] = time.time
) -> PeriodicTask | None:
    """The daily purge, run by one worker at a time; None when `days` is 0 (everything is kept)."""
    if days <= 0:
        return None

    async def run() -> None:
        await purge_once(pool, book, days, clock())

    return PeriodicTask("audit.retention", DAY_SECONDS, run, first_delay=FIRST_DELAY_SECONDS)
