"""SQL of threads, runs and run events."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from server.chat.schemas import DEFAULT_TITLE, EventType, Run, RunEvent, RunStatus, Thread
from tools.database import Pool

TITLE_FROM_MESSAGE_CHARS = 80
RUN_EVENTS_CHANNEL = "ariane_run_events"  # payload: the id of a run with new events
RUN_STOP_CHANNEL = "ariane_run_stop"  # payload: the id of a run to stop, for the process hosting it
_THREAD_COLUMNS = "id::text, title, assistant_id, created_at, updated_at"
_RUN_COLUMNS = (
    "id::text, thread_id::text, status, request, workflow, mode, answer, citations, error, "
    "created_at, finished_at, assistant_id, assistant_version, fallback"
)

# A run's first event, stored with the run itself (`created` is the statement's inserted run): the
# stream answers at once, before the run's work has said anything (routing, tools, the model).
STARTED_EVENTS = 1  # how many events a new run has stored: its work's first event comes after them
_STARTED = (
    "started AS (INSERT INTO run_events (run_id, seq, type, data) "
    "SELECT id::uuid, 1, 'started', jsonb_build_object('run_id', id) FROM created)"
)


def started_event(run_id: str) -> RunEvent:
    """The `started` event `create_run` stores (the request that started the run sends it as is)."""
    return RunEvent(seq=STARTED_EVENTS, type=EventType.STARTED, data={"run_id": run_id})


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


# LangGraph's checkpoint tables, keyed by its own thread id: the chat thread's id, or
# `<thread id>:robot:<run id>` for a robot request (agents/runner.py). They hold the messages.
_CHECKPOINT_TABLES = ("checkpoint_writes", "checkpoint_blobs", "checkpoints")


async def delete_thread(pool: Pool, user_id: str, thread_id: str) -> bool:
    """Delete the user's thread and all it holds; False if it is not theirs.

    Runs, events and attachments cascade; LangGraph's checkpoints (the conversation's messages, kept
    in tables it owns, without a foreign key) are deleted in the same transaction.
    """
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "DELETE FROM threads WHERE id = %s AND user_id = %s", (thread_id, user_id)
        )
        if cursor.rowcount != 1:
            return False
        for table in _CHECKPOINT_TABLES:
            await conn.execute(
                f"DELETE FROM {table} WHERE thread_id = %s OR thread_id LIKE %s",
                (thread_id, f"{thread_id}:%"),
            )
        return True


async def create_run(
    pool: Pool,
    thread_id: str,
    user_id: str,
    request: str,
    workflow: str | None,
    assistant: tuple[str, int] | None = None,
    owner: str | None = None,
) -> Run | None:
    """A new running run, or None when the thread already has one running (unique partial index).

    `assistant` is the (id, version) the run honours, recorded as evidence; `owner` is the process
    that runs it (its id in `processes`).
    """
    assistant_id, version = assistant or (None, None)
    # One statement (one round trip, one transaction): the run, its `started` event and the thread
    # moved up the list — a thread still under its default title named after its first message, as
    # Teams does.
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "WITH created AS (INSERT INTO runs (thread_id, user_id, request, workflow, assistant_id, "
            "assistant_version, owner) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (thread_id) WHERE status = 'running' DO NOTHING RETURNING {_RUN_COLUMNS}), "
            f"{_STARTED}, "
            "touched AS (UPDATE threads SET updated_at = now(), "
            "title = CASE WHEN title = %s THEN left(%s, %s) ELSE title END WHERE id = %s) "
            "SELECT * FROM created",
            (thread_id, user_id, request, workflow, assistant_id, version, owner,
             DEFAULT_TITLE, request, TITLE_FROM_MESSAGE_CHARS, thread_id),
        )  # fmt: skip
        row = await cursor.fetchone()
    return Run.model_validate(row) if row else None


async def open_reporting_run(
    conn: AsyncConnection[DictRow],
    thread_id: str,
    user_id: str,
    request: str,
    workflow: str,
    owner: str | None,
) -> str | None:
    """A run that reports something in the user's thread (a robot decision), in the caller's transaction.

    None when the thread already has a run going (the caller retries later). The thread moves up the
    list, its title kept.
    """
    cursor = await conn.execute(
        "WITH created AS (INSERT INTO runs (thread_id, user_id, request, workflow, owner) "
        "VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT (thread_id) WHERE status = 'running' DO NOTHING RETURNING id::text), "
        f"{_STARTED} SELECT * FROM created",
        (thread_id, user_id, request, workflow, owner),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    await conn.execute("UPDATE threads SET updated_at = now() WHERE id = %s", (thread_id,))
    return str(row["id"])


async def open_thread(conn: AsyncConnection[DictRow], user_id: str, title: str) -> str:
    """A new thread of the user's, in the caller's transaction (a conversation an automation writes in)."""
    cursor = await conn.execute(
        "INSERT INTO threads (user_id, title) VALUES (%s, %s) RETURNING id::text", (user_id, title)
    )
    row = await cursor.fetchone()
    assert row is not None
    return str(row["id"])


async def post_answer(
    conn: AsyncConnection[DictRow], run_id: str, thread_id: str, user_id: str, request: str, workflow: str,
    answer: str,
) -> bool:  # fmt: skip
    """A finished run that only answers (an automation's message), in the caller's transaction.

    The run's id is given (the firing's), so that it is written once; False when it exists already.
    """
    cursor = await conn.execute(
        "INSERT INTO runs (id, thread_id, user_id, request, workflow, status, answer, finished_at) "
        "VALUES (%s, %s, %s, %s, %s, 'done', %s, now()) ON CONFLICT (id) DO NOTHING",
        (run_id, thread_id, user_id, request, workflow, answer),
    )
    await conn.execute("UPDATE threads SET updated_at = now() WHERE id = %s", (thread_id,))
    return cursor.rowcount == 1


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


async def orphaned_runs(pool: Pool, lease_seconds: float, run_id: str | None = None) -> list[str]:
    """Runs still `running` whose host process is gone (no row, or silent for `lease_seconds`).

    A run is hosted by the process that started it (`owner`); runs from before owners were recorded
    have none and are orphans too. A database never migrated has no runs (`/readyz` reports it).
    """
    async with pool.connection() as conn:
        exists = await (await conn.execute("SELECT to_regclass('runs') IS NOT NULL AS present")).fetchone()
        if not exists or not exists["present"]:
            return []
        cursor = await conn.execute(
            "SELECT r.id::text FROM runs r WHERE r.status = 'running' AND (%s::uuid IS NULL OR r.id = %s) "
            "AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.id = r.owner "
            "AND p.heartbeat_at > now() - make_interval(secs => %s))",
            (run_id, run_id, lease_seconds),
        )
        return [row["id"] for row in await cursor.fetchall()]


async def interrupt_run(pool: Pool, run_id: str, error: dict[str, str]) -> bool:
    """Mark a running run interrupted and close its stream (`error`, then `done`); False if not running.

    Written by whichever process notices (its host is dead): the events follow the last stored one.
    """
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = now(), error = %s "
            "WHERE id = %s AND status = 'running' RETURNING id",
            (Jsonb(error), run_id),
        )
        if await cursor.fetchone() is None:
            return False
        row = await (
            await conn.execute(
                "SELECT coalesce(max(seq), 0) AS seq FROM run_events WHERE run_id = %s", (run_id,)
            )
        ).fetchone()
        seq = int(row["seq"]) if row else 0
        done = {"run_id": run_id, "status": "interrupted"}
        for offset, (kind, data) in enumerate((("error", error), ("done", done)), start=1):
            await conn.execute(
                "INSERT INTO run_events (run_id, seq, type, data) VALUES (%s, %s, %s, %s)",
                (run_id, seq + offset, kind, Jsonb(data)),
            )
        await conn.execute("SELECT pg_notify(%s, %s)", (RUN_EVENTS_CHANNEL, run_id))
    return True


async def run_status(pool: Pool, run_id: str) -> str | None:
    """The status of a run (any user's: for the hub, which has checked access already)."""
    async with pool.connection() as conn:
        row = await (await conn.execute("SELECT status FROM runs WHERE id = %s", (run_id,))).fetchone()
    return str(row["status"]) if row else None


async def request_stop(pool: Pool, run_id: str) -> None:
    """Ask the process hosting the run to stop it."""
    async with pool.connection() as conn:
        await conn.execute("SELECT pg_notify(%s, %s)", (RUN_STOP_CHANNEL, run_id))


async def append_event(pool: Pool, run_id: str, seq: int, event_type: str, data: dict[str, Any]) -> None:
    """Store one event of a run and tell listeners on other processes (NOTIFY, sent at commit).

    Events are many and only serve live delivery and reattachment; the run's outcome is stored
    durably by `finish_run`. So their commits do not wait for the disk flush (a crash may lose the
    last few events of a run that is then marked interrupted anyway). One statement, its own
    transaction: the setting is local to it (one round trip where BEGIN, SET LOCAL, INSERT and
    COMMIT took four, a tenth of a turn's server CPU at 32 users).
    """
    async with pool.connection() as conn:
        await conn.execute(
            "WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true)), "
            "stored AS (INSERT INTO run_events (run_id, seq, type, data) VALUES (%s, %s, %s, %s) "
            "RETURNING run_id) SELECT pg_notify(%s, run_id::text) FROM stored, unflushed",
            (run_id, seq, event_type, Jsonb(data), RUN_EVENTS_CHANNEL),
        )


async def events_after(pool: Pool, run_id: str, after: int) -> list[RunEvent]:
    """Stored events of a run after sequence number `after`."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT seq, type, data FROM run_events WHERE run_id = %s AND seq > %s ORDER BY seq",
            (run_id, after),
        )
        return [RunEvent.model_validate(row) for row in await cursor.fetchall()]
