"""SQL of threads, runs and run events."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from server.chat.schemas import DEFAULT_TITLE, Run, RunEvent, RunStatus, Thread
from tools.database import Pool

TITLE_FROM_MESSAGE_CHARS = 80
_THREAD_COLUMNS = "id::text, title, assistant_id, created_at, updated_at"
_RUN_COLUMNS = (
    "id::text, thread_id::text, status, request, workflow, mode, answer, citations, error, "
    "created_at, finished_at, assistant_id, assistant_version, fallback"
)


async def create_thread(pool: Pool, user_id: str, title: str, assistant_id: str | None) -> Thread:
    """Insert a thread for the user."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"INSERT INTO threads (user_id, title, assistant_id) VALUES (%s, %s, %s) "
            f"RETURNING {_THREAD_COLUMNS}",
            (user_id, title, assistant_id),
        )
        row = await cursor.fetchone()
    assert row is not None
    return Thread.model_validate(row)


async def list_threads(pool: Pool, user_id: str) -> list[Thread]:
    """The user's threads, most recent first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_THREAD_COLUMNS} FROM threads WHERE user_id = %s ORDER BY updated_at DESC", (user_id,)
        )
        return [Thread.model_validate(row) for row in await cursor.fetchall()]


async def get_thread(pool: Pool, user_id: str, thread_id: str) -> Thread | None:
    """The thread if it exists and belongs to the user (others' threads are invisible)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_THREAD_COLUMNS} FROM threads WHERE id = %s AND user_id = %s", (thread_id, user_id)
        )
        row = await cursor.fetchone()
    return Thread.model_validate(row) if row else None


async def rename_thread(pool: Pool, user_id: str, thread_id: str, title: str) -> Thread | None:
    """Rename the user's thread; None if it is not theirs."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"UPDATE threads SET title = %s, updated_at = now() WHERE id = %s AND user_id = %s "
            f"RETURNING {_THREAD_COLUMNS}",
            (title, thread_id, user_id),
        )
        row = await cursor.fetchone()
    return Thread.model_validate(row) if row else None


async def delete_thread(pool: Pool, user_id: str, thread_id: str) -> bool:
    """Delete the user's thread (runs and events cascade); False if it is not theirs."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "DELETE FROM threads WHERE id = %s AND user_id = %s", (thread_id, user_id)
        )
        return cursor.rowcount == 1


async def create_run(
    pool: Pool,
    thread_id: str,
    user_id: str,
    request: str,
    workflow: str | None,
    assistant: tuple[str, int] | None = None,
) -> Run | None:
    """A new running run, or None when the thread already has one running (unique partial index).

    `assistant` is the (id, version) the run honours, recorded as evidence.
    """
    assistant_id, version = assistant or (None, None)
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "INSERT INTO runs (thread_id, user_id, request, workflow, assistant_id, assistant_version) "
            "VALUES (%s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (thread_id) WHERE status = 'running' DO NOTHING RETURNING {_RUN_COLUMNS}",
            (thread_id, user_id, request, workflow, assistant_id, version),
        )
        row = await cursor.fetchone()
        # A thread still under its default title is named after its first message, as Teams does.
        await conn.execute(
            "UPDATE threads SET updated_at = now(), "
            "title = CASE WHEN title = %s THEN left(%s, %s) ELSE title END WHERE id = %s",
            (DEFAULT_TITLE, request, TITLE_FROM_MESSAGE_CHARS, thread_id),
        )
    return Run.model_validate(row) if row else None


async def get_run(pool: Pool, user_id: str, run_id: str) -> Run | None:
    """The user's run, or None."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = %s AND user_id = %s", (run_id, user_id)
        )
        row = await cursor.fetchone()
    return Run.model_validate(row) if row else None


async def list_runs(pool: Pool, thread_id: str) -> list[Run]:
    """Runs of a thread, oldest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE thread_id = %s ORDER BY created_at", (thread_id,)
        )
        return [Run.model_validate(row) for row in await cursor.fetchall()]


async def finish_run(pool: Pool, run_id: str, status: RunStatus, result: dict[str, Any]) -> None:
    """Record the outcome; a run already finished (e.g. stopped) keeps its first outcome."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE runs SET status = %s, workflow = coalesce(%s, workflow), mode = %s, answer = %s, "
            "citations = %s, dropped = %s, error = %s, fallback = %s, finished_at = now() "
            "WHERE id = %s AND status = 'running'",
            (
                status,
                result.get("workflow"),
                result.get("mode"),
                result.get("answer"),
                Jsonb(result.get("citations", [])),
                Jsonb(result.get("dropped", [])),
                Jsonb(result["error"]) if result.get("error") else None,
                Jsonb(result["fallback"]) if result.get("fallback") else None,
                run_id,
            ),
        )


async def mark_orphaned_runs(pool: Pool) -> int:
    """Runs left `running` by a previous process cannot continue: mark them interrupted.

    A database that was never migrated has no runs (and `/readyz` reports it), so nothing to do.
    """
    async with pool.connection() as conn:
        exists = await (await conn.execute("SELECT to_regclass('runs') IS NOT NULL AS present")).fetchone()
        if not exists or not exists["present"]:
            return 0
        cursor = await conn.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = now(), "
            'error = \'{"code": "interrupted", "detail": "Le serveur a redémarré pendant la réponse."}\' '
            "WHERE status = 'running'"
        )
        return cursor.rowcount


async def append_event(pool: Pool, run_id: str, seq: int, event_type: str, data: dict[str, Any]) -> None:
    """Store one event of a run.

    Events are many and only serve live delivery and reattachment; the run's outcome is stored
    durably by `finish_run`. So their commits do not wait for the disk flush (a crash may lose the
    last few events of a run that is then marked interrupted anyway).
    """
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("SET LOCAL synchronous_commit TO OFF")
        await conn.execute(
            "INSERT INTO run_events (run_id, seq, type, data) VALUES (%s, %s, %s, %s)",
            (run_id, seq, event_type, Jsonb(data)),
        )


async def events_after(pool: Pool, run_id: str, after: int) -> list[RunEvent]:
    """Stored events of a run after sequence number `after`."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT seq, type, data FROM run_events WHERE run_id = %s AND seq > %s ORDER BY seq",
            (run_id, after),
        )
        return [RunEvent.model_validate(row) for row in await cursor.fetchall()]
