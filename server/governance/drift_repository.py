"""SQL of drift: evaluation runs with their scores and what changed, and the alerts they open."""

from __future__ import annotations

from typing import Any

from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from tools.database import Pool
from tools.i18n import Text, kept


async def start_run(
    pool: Pool, suite: str, assistant_id: str, split: str, reason: str, change: dict[str, Any]
) -> str:
    """Record an evaluation run that starts now; its id."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "INSERT INTO governance_eval_runs (suite, assistant_id, split, reason, change) "
            "VALUES (%s, %s, %s, %s, %s) RETURNING id::text",
            (suite, assistant_id, split, reason, Jsonb(change)),
        )
        row = await cursor.fetchone()
    assert row is not None
    return str(row["id"])


async def finish_run(
    pool: Pool, run_id: str, cases: int, scores: dict[str, float], error: str | Text | None
) -> None:
    """Store a run's outcome; its error in French (the previous release reads it) and by id."""
    sentence, text = kept(error) if error is not None else (None, None)
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE governance_eval_runs SET status = %s, cases = %s, scores = %s, error = %s, "
            "error_text = %s, finished_at = now() WHERE id = %s",
            (
                "failed" if error else "done", cases, Jsonb(scores), sentence,
                Jsonb(text) if text else None, run_id,
            ),
        )  # fmt: skip


async def previous_scores(
    pool: Pool, suite: str, assistant_id: str, before_run: str
) -> dict[str, float] | None:
    """The scores of the run of this suite and assistant finished before `before_run`, if any."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            SELECT scores FROM governance_eval_runs
            WHERE suite = %s AND assistant_id = %s AND status = 'done' AND id <> %s
              AND started_at <= (SELECT started_at FROM governance_eval_runs WHERE id = %s)
            ORDER BY started_at DESC LIMIT 1
            """,
            (suite, assistant_id, before_run, before_run),
        )
        row = await cursor.fetchone()
    return dict(row["scores"]) if row else None


async def runs(pool: Pool, assistant_id: str | None = None, limit: int = 500) -> list[DictRow]:
    """Evaluation runs, oldest first (one assistant's, or all)."""
    where, params = ("WHERE assistant_id = %s", [assistant_id]) if assistant_id else ("", [])
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"""
            SELECT * FROM (
                SELECT id::text, suite, assistant_id, split, reason, change, status, cases, scores, error,
                       error_text, started_at, finished_at
                FROM governance_eval_runs {where} ORDER BY started_at DESC LIMIT %s
            ) newest ORDER BY started_at
            """,
            [*params, limit],
        )
        return await cursor.fetchall()


async def last_run(pool: Pool) -> DictRow | None:
    """The newest evaluation run, whatever its suite or outcome."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT id::text, suite, assistant_id, split, reason, change, status, cases, scores, error, "
            "error_text, started_at, finished_at FROM governance_eval_runs ORDER BY started_at DESC LIMIT 1"
        )
        return await cursor.fetchone()


async def last_scores(pool: Pool) -> list[DictRow]:
    """The newest finished run of each assistant and suite."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            SELECT DISTINCT ON (assistant_id, suite) assistant_id, suite, scores, finished_at
            FROM governance_eval_runs WHERE status = 'done'
            ORDER BY assistant_id, suite, started_at DESC
            """
        )
        return await cursor.fetchall()


async def open_alert(pool: Pool, alert: dict[str, Any]) -> str | None:
    """Open an alert unless one is already open for that system, suite and score; its id if opened."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            INSERT INTO governance_alerts (system_id, suite, scorer, kind, value, previous, floor, run_id,
                                           recipients)
            VALUES (%(system_id)s, %(suite)s, %(scorer)s, %(kind)s, %(value)s, %(previous)s, %(floor)s,
                    %(run_id)s, %(recipients)s)
            ON CONFLICT (system_id, suite, scorer) WHERE closed_at IS NULL DO NOTHING
            RETURNING id::text
            """,
            alert,
        )
        row = await cursor.fetchone()
    return str(row["id"]) if row else None


async def close_alert(pool: Pool, system_id: str, suite: str, scorer: str) -> bool:
    """Close the open alert of that score (it recovered); True if one was open."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE governance_alerts SET closed_at = now() "
            "WHERE system_id = %s AND suite = %s AND scorer = %s AND closed_at IS NULL",
            (system_id, suite, scorer),
        )
        return cursor.rowcount > 0


async def mark_mailed(pool: Pool, alert_id: str) -> None:
    """The alert's mail went out."""
    async with pool.connection() as conn:
        await conn.execute("UPDATE governance_alerts SET mailed = true WHERE id = %s", (alert_id,))


_ALERT_COLUMNS = (
    "id::text, system_id, suite, scorer, kind, value, previous, floor, run_id::text, recipients, mailed, "
    "opened_at, closed_at"
)


async def alerts(pool: Pool, open_only: bool = False, recipient: str | None = None) -> list[DictRow]:
    """Alerts, newest first (open ones only, or those sent to one address)."""
    where, params = [], []
    if open_only:
        where.append("closed_at IS NULL")
    if recipient is not None:
        where.append("%s = ANY (recipients)")
        params.append(recipient.lower())
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_ALERT_COLUMNS} FROM governance_alerts {clause} ORDER BY opened_at DESC", params
        )
        return await cursor.fetchall()


async def alert(pool: Pool, alert_id: str) -> DictRow | None:
    """One alert."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_ALERT_COLUMNS} FROM governance_alerts WHERE id = %s", (alert_id,)
        )
        return await cursor.fetchone()


async def dependencies(pool: Pool) -> tuple[int, list[DictRow], list[DictRow]]:
    """The policy version, the assistants' current versions, each knowledge collection's contents."""
    async with pool.connection() as conn:
        policy = await (
            await conn.execute("SELECT coalesce(max(version), 0) AS v FROM gateway_policy_versions")
        ).fetchone()
        assistants = await (
            await conn.execute("SELECT id, current_version FROM assistants WHERE archived_at IS NULL")
        ).fetchall()
        knowledge = await (
            await conn.execute(
                "SELECT collection, count(*) AS documents, max(indexed_at)::text AS indexed, "
                "string_agg(sha256, ',' ORDER BY sha256) AS contents "
                "FROM knowledge_documents GROUP BY collection"
            )
        ).fetchall()
    return int(policy["v"]) if policy else 0, assistants, knowledge
