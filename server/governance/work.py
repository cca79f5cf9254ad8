"""Governance's background work: evaluation runs on the work queue, the schedule, the change watch."""

from __future__ import annotations

from datetime import UTC, datetime

from server.governance.alerting import ALERT_MAIL, AlertMailer
from server.governance.drift import DriftService
from server.governance.settings import GovernanceSettings
from server.work import PeriodicTask, WorkItem, WorkKind, WorkRegistry, enqueue
from tools.database import Pool

EVALUATION = "governance.evaluation"


def register_governance_work(
    work: WorkRegistry, pool: Pool, settings: GovernanceSettings, drift: DriftService, mailer: AlertMailer
) -> None:
    """Evaluation runs and alert mails (any worker), the nightly schedule and the watch for changes."""

    async def evaluate(item: WorkItem) -> dict[str, object]:
        ids = await drift.evaluate(
            str(item.payload.get("reason", "scheduled")), dict(item.payload.get("change", {}))
        )
        return {"runs": ids}

    async def scheduled() -> None:
        day = datetime.now(UTC).strftime("%Y-%m-%dT%H")
        await enqueue(pool, EVALUATION, {"reason": "scheduled", "change": {}}, key=f"scheduled:{day}")

    async def watch() -> None:
        found = await drift.pending_change()
        if found is None:
            return
        reason, change = found
        key = f"{reason}:{hash_of(change['state'])}"
        await enqueue(pool, EVALUATION, {"reason": reason, "change": change}, key=key)

    work.add_kind(WorkKind(EVALUATION, evaluate, rerun_safe=True, retry_seconds=60.0))
    # Sent again after its worker died mid-send at worst: a second copy beats an alert never sent.
    work.add_kind(WorkKind(ALERT_MAIL, mailer, rerun_safe=True, retry_seconds=300.0))
    if not settings.evaluations:
        return
    work.add_periodic(
        PeriodicTask(
            "governance.evaluations",
            settings.eval_interval_hours * 3600,
            scheduled,
            first_delay=settings.eval_interval_hours * 3600,
        )
    )
    work.add_periodic(
        PeriodicTask(
            "governance.changes",
            settings.change_check_seconds,
            watch,
            first_delay=settings.change_check_seconds,
        )
    )


def hash_of(state: dict[str, object]) -> str:
    """A short digest of a fingerprint: the same state queues one evaluation, whoever sees it first."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
