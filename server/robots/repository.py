"""SQL of approvals and jobs."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from server.chat import repository as chat_repository
from server.messages import MESSAGES
from tools.database import Pool
from tools.i18n import Text, kept

_APPROVAL = (
    "a.id::text, a.robot_id, a.robot_version, a.robot_digest, a.run_id::text, a.thread_id::text, "
    "a.checkpoint_key, "
    "a.requester_id::text, a.inputs, a.digest, a.status, a.approver_id::text, a.reason, a.created_at, "
    "a.expires_at, a.decided_at, a.resumed_run_id::text, r.spec AS robot_spec, r.version AS current_version, "
    "ru.email AS requester_email, ru.display_name AS requester_name, "
    "au.email AS approver_email, au.display_name AS approver_name, j.id::text AS job_id"
)
_APPROVAL_FROM = (
    "approvals a JOIN robots r ON r.id = a.robot_id JOIN users ru ON ru.id = a.requester_id "
    "LEFT JOIN users au ON au.id = a.approver_id LEFT JOIN jobs j ON j.approval_id = a.id"
)
_JOB = (
    "j.id::text, j.approval_id::text, j.robot_id, j.runner, j.status, j.inputs, j.digest, j.external_id, "
    "j.outputs, j.artifacts, j.log, j.error, j.workdir, j.created_at, j.started_at, j.finished_at, "
    "j.artifacts_purged_at, "
    "a.requester_id::text, a.approver_id::text, a.thread_id::text, r.spec AS robot_spec, "
    "ru.email AS requester_email, ru.display_name AS requester_name"
)
_JOB_FROM = (
    "jobs j JOIN approvals a ON a.id = j.approval_id JOIN robots r ON r.id = j.robot_id "
    "JOIN users ru ON ru.id = a.requester_id"
)
Row = dict[str, Any]
JOBS_CHANNEL = "ariane_jobs"  # payload: the id of a job that changed


async def create_approval(pool: Pool, record: Row) -> str:
    """Insert a pending approval; its id."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "INSERT INTO approvals (robot_id, robot_version, robot_digest, run_id, thread_id, "
            "checkpoint_key, requester_id, inputs, digest, expires_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now() + make_interval(mins => %s)) "
            "RETURNING id::text",
            (
                record["robot_id"], record["robot_version"], record["robot_digest"], record["run_id"],
                record["thread_id"],
                record["checkpoint_key"], record["requester_id"], Jsonb(record["inputs"]), record["digest"],
                record["ttl_minutes"],
            ),
        )  # fmt: skip
        row = await cursor.fetchone()
    assert row is not None
    return str(row["id"])


async def get_approval(pool: Pool, approval_id: str) -> Row | None:
    """One approval with its robot, requester, approver and job."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_APPROVAL} FROM {_APPROVAL_FROM} WHERE a.id = %s", (approval_id,)
        )
        return await cursor.fetchone()


async def approval_by_checkpoint(pool: Pool, checkpoint_key: str) -> str | None:
    """The approval recorded for a checkpoint key (an automation's firing asks once), or None."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT id::text FROM approvals WHERE checkpoint_key = %s ORDER BY created_at LIMIT 1",
            (checkpoint_key,),
        )
        row = await cursor.fetchone()
    return str(row["id"]) if row else None


async def list_approvals(pool: Pool, *, requester_id: str | None = None, status: str | None = None,
                         thread_id: str | None = None, limit: int = 200) -> list[Row]:  # fmt: skip
    """Approvals, newest first, filtered by requester, status or thread."""
    clauses, params = ["true"], []
    for column, value in (("a.requester_id", requester_id), ("a.status", status), ("a.thread_id", thread_id)):
        if value is not None:
            clauses.append(f"{column} = %s")
            params.append(value)
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_APPROVAL} FROM {_APPROVAL_FROM} WHERE {' AND '.join(clauses)} "
            f"ORDER BY a.created_at DESC LIMIT %s",
            (*params, limit),
        )
        return await cursor.fetchall()


async def decide(pool: Pool, approval_id: str, status: str, approver_id: str, reason: str | None,
                 runner: str, queued: str | Text) -> tuple[bool, str | None]:  # fmt: skip
    """Record a decision on a pending, unexpired approval and, if approved, its one job.

    All in one transaction, the job's first transition (`queued`, saying why) included: a worker
    that claims the job as soon as it is visible finds it queued, never before its first step.
    The job's unique `approval_id` is the idempotency key, so a second decision (here or on another
    replica) neither changes the approval nor adds a job. Returns (decided now, job id).
    """
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "UPDATE approvals SET status = %s, approver_id = %s, reason = %s, decided_at = now() "
            "WHERE id = %s AND status = 'pending' AND expires_at > now() RETURNING id",
            (status, approver_id, reason, approval_id),
        )
        if await cursor.fetchone() is None:
            return False, None
        if status != "approved":
            return True, None
        cursor = await conn.execute(
            "INSERT INTO jobs (approval_id, robot_id, runner, inputs, digest) "
            "SELECT id, robot_id, %s, inputs, digest FROM approvals WHERE id = %s "
            "ON CONFLICT (approval_id) DO NOTHING RETURNING id::text",
            (runner, approval_id),
        )
        row = await cursor.fetchone()
        if row is None:
            return True, None
        await _transition(conn, row["id"], "queued", queued)
    return True, str(row["id"])


async def expire_due(pool: Pool) -> list[str]:
    """Mark pending approvals past their expiry as expired; their ids."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE approvals SET status = 'expired', decided_at = now() "
            "WHERE status = 'pending' AND expires_at <= now() RETURNING id::text"
        )
        return [row["id"] for row in await cursor.fetchall()]


async def decided_without_followup(pool: Pool) -> list[str]:
    """Decided approvals whose outcome was not yet posted to the requester's thread."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT id::text FROM approvals WHERE status <> 'pending' AND resumed_run_id IS NULL "
            "AND thread_id IS NOT NULL ORDER BY decided_at"
        )
        return [row["id"] for row in await cursor.fetchall()]


async def get_job(pool: Pool, job_id: str) -> Row | None:
    """One job with its robot and requester."""
    async with pool.connection() as conn:
        cursor = await conn.execute(f"SELECT {_JOB} FROM {_JOB_FROM} WHERE j.id = %s", (job_id,))
        return await cursor.fetchone()


async def list_jobs(pool: Pool, limit: int = 200) -> list[Row]:
    """Jobs, newest first (callers filter what the user may see)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_JOB} FROM {_JOB_FROM} ORDER BY j.created_at DESC LIMIT %s", (limit,)
        )
        return await cursor.fetchall()


async def jobs_in(pool: Pool, status: str) -> list[Row]:
    """Jobs in a status (reconciliation at start)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(f"SELECT {_JOB} FROM {_JOB_FROM} WHERE j.status = %s", (status,))
        return await cursor.fetchall()


async def transitions(pool: Pool, job_id: str) -> list[Row]:
    """Status changes of a job, in order."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT seq, status, detail, detail_text, at FROM job_transitions WHERE job_id = %s ORDER BY seq",
            (job_id,),
        )
        return await cursor.fetchall()


async def _transition(conn: Any, job_id: str, status: str, detail: str | Text) -> None:
    # The French sentence for the previous release and old rows; the id and parameters for the reader.
    sentence, text = kept(detail)
    # The job's row lock orders concurrent transitions: each reads the last seq after the previous
    # one committed (two at once once both took max(seq) + 1 and one failed on the primary key).
    await conn.execute("SELECT 1 FROM jobs WHERE id = %s FOR UPDATE", (job_id,))
    await conn.execute(
        "INSERT INTO job_transitions (job_id, seq, status, detail, detail_text) "
        "SELECT %s, coalesce(max(seq), 0) + 1, %s, %s, %s "
        "FROM job_transitions WHERE job_id = %s",
        (job_id, status, sentence, Jsonb(text) if text is not None else None, job_id),
    )
    await conn.execute("SELECT pg_notify(%s, %s)", (JOBS_CHANNEL, job_id))  # sent at commit


async def claim_job(pool: Pool, job_id: str, workdir: str) -> bool:
    """Queued → running, for exactly one claimant."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "UPDATE jobs SET status = 'running', started_at = now(), workdir = %s "
            "WHERE id = %s AND status = 'queued'",
            (workdir, job_id),
        )
        if cursor.rowcount != 1:
            return False
        await _transition(conn, job_id, "running", MESSAGES("robots.job.started"))
    return True


async def set_external_id(pool: Pool, job_id: str, external_id: str | None) -> None:
    """Remember the runner's id of the job (UiPath job id, local process id)."""
    async with pool.connection() as conn:
        await conn.execute("UPDATE jobs SET external_id = %s WHERE id = %s", (external_id, job_id))


async def finish_job(pool: Pool, job_id: str, status: str, result: Row, detail: str | Text) -> bool:
    """Running → succeeded | failed, with outputs, artifacts, log and error; False if not running."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "UPDATE jobs SET status = %s, outputs = %s, artifacts = %s, log = %s, error = %s, "
            "finished_at = now() "
            "WHERE id = %s AND status = 'running'",
            (
                status, Jsonb(result.get("outputs") or {}), Jsonb(result.get("artifacts") or []),
                result.get("log") or "", Jsonb(result["error"]) if result.get("error") else None, job_id,
            ),
        )  # fmt: skip
        if cursor.rowcount != 1:
            return False
        await _transition(conn, job_id, status, detail)
    return True


async def create_followup_run(pool: Pool, approval_id: str, request: str, owner: str | None) -> str | None:
    """Open the run that reports a decision in the requester's thread, bound to the approval.

    None when the thread already has a run going (retried later) or the decision was already reported.
    The run itself is the chat's (`server.chat.repository`), opened in this transaction.
    """
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "SELECT thread_id::text, requester_id::text FROM approvals "
            "WHERE id = %s AND resumed_run_id IS NULL AND thread_id IS NOT NULL FOR UPDATE",
            (approval_id,),
        )
        approval = await cursor.fetchone()
        if approval is None:
            return None
        run_id = await chat_repository.open_reporting_run(
            conn, approval["thread_id"], approval["requester_id"], request, "robot_request", owner
        )
        if run_id is not None:
            await conn.execute(
                "UPDATE approvals SET resumed_run_id = %s WHERE id = %s", (run_id, approval_id)
            )
    return run_id


async def store_artifact(pool: Pool, job_id: str, name: str, content: bytes) -> None:
    """Keep a file a job produced as a large object, readable from every replica (replaced if there).

    The large object replaced is unlinked by the table's trigger (migration 0030).
    """
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO job_artifacts (job_id, name, content, size) "
            "VALUES (%s, %s, lo_from_bytea(0, %s), %s) ON CONFLICT (job_id, name) DO UPDATE "
            "SET content = EXCLUDED.content, size = EXCLUDED.size, created_at = now()",
            (job_id, name, content, len(content)),
        )


async def delete_artifacts(pool: Pool, job_id: str) -> None:
    """Delete every kept file of a job (their large objects are unlinked by the table's trigger)."""
    async with pool.connection() as conn:
        await conn.execute("DELETE FROM job_artifacts WHERE job_id = %s", (job_id,))


async def jobs_with_expired_artifacts(pool: Pool, days: int, limit: int) -> list[tuple[str, list[str]]]:
    """Jobs finished over `days` days ago whose files are still kept: (id, names their result listed)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT id::text, artifacts FROM jobs WHERE artifacts_purged_at IS NULL "
            "AND status IN ('succeeded', 'failed') AND finished_at < now() - make_interval(days => %s) "
            "ORDER BY finished_at LIMIT %s",
            (days, limit),
        )
        return [(row["id"], [str(name) for name in row["artifacts"]]) for row in await cursor.fetchall()]


async def mark_artifacts_purged(pool: Pool, job_id: str) -> None:
    """Record that a job's files were deleted under the retention policy."""
    async with pool.connection() as conn:
        await conn.execute("UPDATE jobs SET artifacts_purged_at = now() WHERE id = %s", (job_id,))


async def read_artifact(pool: Pool, job_id: str, name: str) -> bytes | None:
    """The content of a stored artifact, or None."""
    async with pool.connection() as conn:
        row = await (
            await conn.execute(
                "SELECT lo_get(content) AS data FROM job_artifacts WHERE job_id = %s AND name = %s",
                (job_id, name),
            )
        ).fetchone()
    return bytes(row["data"]) if row is not None else None
