"""`ariane audit purge`: the retention purge from the command line (no app started, the database only)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from server.audit.retention import PurgeReport, RetentionRefusedError, cutoff_for, purge
from server.audit.runtime import anchor_book
from server.cli.main import CliError, _configure_logging, database
from server.cli.texts import say, shown
from server.settings import Settings
from tools.database import open_pool


def run_purge(settings: Settings, before: datetime | None, dry_run: bool) -> str:
    """Purge (or plan) at `before` (naive: local time) or at the retention setting; the report's text.

    Raises:
        CliError: no cutoff (retention off and no `--before`), or the purge was refused.
    """
    if before is not None:
        cutoff = before.astimezone()  # a naive date is the operator's local time
    elif settings.audit_retention_days > 0:
        cutoff = cutoff_for(settings.audit_retention_days)
    else:
        raise CliError(say("retention.off"))
    _configure_logging("warning")

    async def go(ready: Settings) -> PurgeReport:
        assert ready.database_url is not None
        pool = await open_pool(ready.database_url.get_secret_value(), max_size=2)
        try:
            return await purge(pool, anchor_book(ready, pool), cutoff, dry_run=dry_run)
        except RetentionRefusedError as exc:
            raise CliError(shown(exc.text)) from exc
        finally:
            await pool.close()

    with database(settings) as ready:
        return render_purge(asyncio.run(go(ready)))


def render_purge(report: PurgeReport) -> str:
    """A purge report for a person."""
    plan = report.plan
    cutoff = plan.cutoff.astimezone().isoformat(timespec="seconds")
    if plan.empty:
        return say("retention.nothing", cutoff=cutoff)
    what = say(
        "retention.what",
        first=plan.first,
        upto=plan.upto,
        count=plan.upto - plan.first + 1,
        traces=plan.traces,
        runs=plan.runs,
        cutoff=cutoff,
    )
    if report.dry_run:
        return say("retention.dry_run", what=what)
    assert report.cut is not None
    cut = report.cut
    return say("retention.done", deleted=report.deleted, what=what, upto=cut.upto, chain=cut.chain[:16])
