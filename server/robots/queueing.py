"""Queueing a robot job for a worker (the approval queues it; the sweep queues what was missed)."""

from __future__ import annotations

from server.work import enqueue
from server.work.repository import Conn
from tools.database import Pool

ROBOT_JOB = "robot.job"


async def enqueue_job(db: Pool | Conn, job_id: str, follow_after: str | None = None) -> str:
    """Queue a job's run once (the job id is the key); with `follow_after`, following it again."""
    if follow_after is None:
        return await enqueue(db, ROBOT_JOB, {"job_id": job_id}, key=job_id, max_attempts=1)
    payload = {"job_id": job_id, "follow": True}
    return await enqueue(db, ROBOT_JOB, payload, key=f"{job_id}:follow:{follow_after}", max_attempts=1)
