"""`ariane audit purge`: the retention purge from the command line (no app started, the database only)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from server.audit.retention import PurgeReport, RetentionRefusedError, cutoff_for, purge
from server.audit.runtime import anchor_book
from server.cli.main import CliError, _configure_logging, database
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
        raise CliError("rétention désactivée (ARIANE_AUDIT_RETENTION_DAYS=0) : précisez --before DATE")
    _configure_logging("warning")

    async def go(ready: Settings) -> PurgeReport:
        assert ready.database_url is not None
        pool = await open_pool(ready.database_url.get_secret_value(), max_size=2)
        try:
            return await purge(pool, anchor_book(ready, pool), cutoff, dry_run=dry_run)
        except RetentionRefusedError as exc:
            raise CliError(str(exc)) from exc
        finally:
            await pool.close()

    with database(settings) as ready:
        return render_purge(asyncio.run(go(ready)))


def render_purge(report: PurgeReport) -> str:
    """A purge report for a person."""
    plan = report.plan
    cutoff = plan.cutoff.astimezone().isoformat(timespec="seconds")
    if plan.empty:
        return f"Rien à supprimer : aucune exécution entière enregistrée avant {cutoff}."
    what = (
        f"les enregistrements {plan.first} à {plan.upto} ({plan.upto - plan.first + 1}), "
        f"{plan.traces} trace(s) dont {plan.runs} exécution(s), enregistrés avant {cutoff}"
    )
    if report.dry_run:
        return f"Simulation : la purge supprimerait {what}. Rien n'a été supprimé."
    assert report.cut is not None
    return (
        f"Purge effectuée : {report.deleted} enregistrements supprimés — {what}. "
        f"Coupure signée ajoutée au journal (jusqu'à {report.cut.upto}, chaîne {report.cut.chain[:16]}…)."
    )
