"""SQL of feedback and of the full-text search over a user's conversations."""

from __future__ import annotations

from server.conversations.schemas import AssistantFeedback, Feedback, Rating, SearchHit, ToolEvent
from tools.database import Pool

# The same expressions as the GIN indexes of migration 0019, so that PostgreSQL uses them.
_RUN_TEXT = "to_tsvector('french', r.request || ' ' || coalesce(r.answer, ''))"
_TITLE_TEXT = "to_tsvector('french', t.title)"
_HEADLINE = "'MaxWords=24, MinWords=8, MaxFragments=1, StartSel=«, StopSel=»'"
SEARCH_LIMIT = 20


async def upsert_feedback(pool: Pool, user_id: str, run_id: str, rating: Rating, comment: str) -> Feedback:
    """Store (or replace) the user's feedback on a run."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "INSERT INTO run_feedback (run_id, user_id, rating, comment) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (run_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, "
            "updated_at = now() RETURNING run_id::text, rating, comment, updated_at",
            (run_id, user_id, rating, comment),
        )
        row = await cursor.fetchone()
    assert row is not None
    return Feedback.model_validate(row)


async def delete_feedback(pool: Pool, user_id: str, run_id: str) -> None:
    """Withdraw the user's feedback on a run (nothing if there was none)."""
    async with pool.connection() as conn:
        await conn.execute("DELETE FROM run_feedback WHERE run_id = %s AND user_id = %s", (run_id, user_id))


async def thread_feedback(pool: Pool, user_id: str, thread_id: str) -> list[Feedback]:
    """The user's feedback on the runs of one of their threads."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT f.run_id::text, f.rating, f.comment, f.updated_at FROM run_feedback f "
            "JOIN runs r ON r.id = f.run_id WHERE r.thread_id = %s AND f.user_id = %s ORDER BY r.created_at",
            (thread_id, user_id),
        )
        return [Feedback.model_validate(row) for row in await cursor.fetchall()]


async def assistant_feedback(pool: Pool, assistant_id: str, limit: int = 500) -> list[AssistantFeedback]:
    """Feedback on an assistant's runs, newest first (for its owner and the evaluation suites)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT f.run_id::text, f.rating, f.comment, f.updated_at, r.assistant_id, r.assistant_version, "
            "r.workflow, r.mode, r.request, r.answer FROM run_feedback f JOIN runs r ON r.id = f.run_id "
            "WHERE r.assistant_id = %s ORDER BY f.updated_at DESC LIMIT %s",
            (assistant_id, limit),
        )
        return [AssistantFeedback.model_validate(row) for row in await cursor.fetchall()]


async def search_threads(pool: Pool, user_id: str, query: str) -> list[SearchHit]:
    """The user's conversations whose title or exchanges match `query` (French full text).

    `query` takes web-search syntax (« "phrase exacte" », « -mot », « ou »); per thread, the best
    matching exchange gives the snippet; title matches rank above exchange matches.
    """
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"""
            WITH q AS (SELECT websearch_to_tsquery('french', %(query)s) AS query),
            by_run AS (
                SELECT DISTINCT ON (t.id) t.id AS thread_id, r.id AS run_id,
                       ts_rank({_RUN_TEXT}, q.query) AS rank,
                       ts_headline('french', r.request || ' — ' || coalesce(r.answer, ''), q.query,
                                   {_HEADLINE}) AS snippet
                FROM q, threads t JOIN runs r ON r.thread_id = t.id
                WHERE t.user_id = %(user)s AND {_RUN_TEXT} @@ q.query
                ORDER BY t.id, rank DESC, r.created_at DESC
            ),
            by_title AS (
                SELECT t.id AS thread_id, ts_rank({_TITLE_TEXT}, q.query) + 1 AS rank
                FROM q, threads t WHERE t.user_id = %(user)s AND {_TITLE_TEXT} @@ q.query
            )
            SELECT t.id::text AS thread_id, t.title, t.assistant_id, t.updated_at,
                   b.run_id::text AS run_id, coalesce(b.snippet, t.title) AS snippet
            FROM threads t
            LEFT JOIN by_run b ON b.thread_id = t.id
            LEFT JOIN by_title h ON h.thread_id = t.id
            WHERE b.thread_id IS NOT NULL OR h.thread_id IS NOT NULL
            ORDER BY greatest(coalesce(b.rank, 0), coalesce(h.rank, 0)) DESC, t.updated_at DESC
            LIMIT %(limit)s
            """,
            {"query": query, "user": user_id, "limit": SEARCH_LIMIT},
        )
        return [SearchHit.model_validate(row) for row in await cursor.fetchall()]


async def tool_events(pool: Pool, thread_id: str) -> list[ToolEvent]:
    """The stored tool events (`tool_start`, `tool_end`) of a thread's finished runs, in order."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT e.run_id::text, e.seq, e.type, e.data FROM run_events e JOIN runs r ON r.id = e.run_id "
            "WHERE r.thread_id = %s AND r.status <> 'running' AND e.type IN ('tool_start', 'tool_end') "
            "ORDER BY r.created_at, e.seq",
            (thread_id,),
        )
        return [ToolEvent.model_validate(row) for row in await cursor.fetchall()]
