"""`/api/notifications`: the badge counts of the app bar and what they count."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response

from server.auth.schemas import User
from server.deps import Context, CurrentUser, DbPool
from server.notifications import repository
from server.notifications.schemas import Notification, NotificationKind, Notifications
from server.robots.schemas import Job, JobStatus
from tools.database import Pool

router = APIRouter(prefix="/api", tags=["notifications"])
_FINISHED = {JobStatus.SUCCEEDED, JobStatus.FAILED}


@router.get("/notifications")
async def notifications(request: Request, user: CurrentUser, pool: DbPool, context: Context) -> Notifications:
    """Approvals I may give, held tool calls, robot jobs finished since I last looked, score alerts."""
    items: list[Notification] = []
    approvals = jobs = 0
    if context.robots is not None:
        activity = await context.robots.activity(user)
        approvals = len(activity.to_decide)
        items += [
            Notification(
                kind=NotificationKind.APPROVAL,
                id=approval.id,
                title=approval.robot_name,
                status=approval.status,
                at=approval.created_at,
                path="/activite",
            )
            for approval in activity.to_decide
        ]
        finished = await _finished_jobs(
            pool, user, [job for job in activity.jobs if job.requester.id == user.id]
        )
        jobs = len(finished)
        items += finished
    hours = context.settings.registry_confirmation_hours
    held = await repository.pending_confirmations(pool, user.id, timedelta(hours=hours))
    items += [
        Notification(
            kind=NotificationKind.CONFIRMATION,
            id=row["id"],
            title=f"{row['server']}/{row['tool']}",
            status="pending",
            at=row["created_at"],
            path=f"/chat/{row['thread_id']}",
        )
        for row in held
    ]
    alerts = await request.app.state.governance.systems.my_alerts(user)
    items += [
        Notification(
            kind=NotificationKind.ALERT,
            id=alert.id,
            title=f"{alert.system_name} : {alert.scorer} {alert.value:.2f}",
            status="open",
            at=alert.opened_at,
            path="/activite",
        )
        for alert in alerts
    ]
    items.sort(key=lambda item: item.at, reverse=True)
    return Notifications(
        approvals=approvals, confirmations=len(held), jobs=jobs, alerts=len(alerts), items=items
    )


@router.post("/notifications/jobs/seen", status_code=204)
async def mark_jobs_seen(user: CurrentUser, pool: DbPool) -> Response:
    """I have seen my finished jobs: they no longer count in the badge."""
    await repository.mark_jobs_seen(pool, user.id)
    return Response(status_code=204)


async def _finished_jobs(pool: Pool, user: User, mine: list[Job]) -> list[Notification]:
    seen = await repository.jobs_seen_at(pool, user.id)
    return [
        Notification(
            kind=NotificationKind.JOB,
            id=job.id,
            title=job.robot_name,
            status=job.status,
            at=job.finished_at,
            path=f"/chat/{job.thread_id}" if job.thread_id else "/activite",
        )
        for job in mine
        if job.status in _FINISHED
        and job.finished_at is not None
        and (seen is None or job.finished_at > seen)
    ]
