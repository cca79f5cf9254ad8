"""SQL of the intake: documents, originals, pages, events, thresholds; each step queued as work."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from server.intake import history
from server.intake.schemas import RUNNABLE, Status
from server.work import enqueue
from tools.database import Pool
from tools.i18n import Text, kept

Row = dict[str, Any]
_SUMMARY = (
    "d.id::text, d.file_name, d.media_type, d.size_bytes, d.digest, d.source, d.status, d.route, "
    "d.confidence, d.fields, d.match, d.error, d.error_text, d.page_count, d.created_at, d.updated_at, "
    "d.threshold, "
    "d.chosen_ipp, d.chosen_nda, d.dpi_document_id, d.integrated_at, d.attempts"
)
STEP_KIND = "intake.step"


async def _queue_step(
    conn: AsyncConnection[Row], document_id: str, status: Status, event_id: int, max_attempts: int
) -> None:
    """Queue the document's next step with the change that calls for it (one item per transition)."""
    if status in RUNNABLE:
        payload = {"document": document_id, "status": str(status)}
        key = f"{document_id}:{status}:{event_id}"
        await enqueue(conn, STEP_KIND, payload, key=key, max_attempts=max_attempts)


async def insert_document(
    pool: Pool, record: Row, content: bytes, actor_id: str | None, max_attempts: int = 3
) -> tuple[Row, bool]:
    """Store a new document and its original: (the row, True); a digest seen before: (that row, False)."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "INSERT INTO intake_documents (digest, file_name, media_type, size_bytes, source, imported_by) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (digest) DO NOTHING RETURNING id::text",
            (
                record["digest"],
                record["file_name"],
                record["media_type"],
                record["size_bytes"],
                record["source"],
                actor_id,
            ),
        )
        created = await cursor.fetchone()
        if created is None:
            existing = await _by_digest(conn, record["digest"])
            await _event(
                conn,
                existing["id"],
                actor_id,
                "duplicate",
                {"file_name": record["file_name"], "source": record["source"]},
            )
            return existing, False
        await conn.execute(
            "INSERT INTO intake_originals (document_id, content) VALUES (%s, %s)", (created["id"], content)
        )
        event_id = await _event(
            conn,
            created["id"],
            actor_id,
            "received",
            {"file_name": record["file_name"], "source": record["source"], "digest": record["digest"]},
        )
        await _queue_step(conn, created["id"], Status.RECEIVED, event_id, max_attempts)
        return await _by_id(conn, created["id"]), True


async def _by_digest(conn: AsyncConnection[Row], digest: str) -> Row:
    cursor = await conn.execute(f"SELECT {_SUMMARY} FROM intake_documents d WHERE d.digest = %s", (digest,))
    row = await cursor.fetchone()
    assert row is not None
    return row


async def _by_id(conn: AsyncConnection[Row], document_id: str) -> Row:
    cursor = await conn.execute(f"SELECT {_SUMMARY} FROM intake_documents d WHERE d.id = %s", (document_id,))
    row = await cursor.fetchone()
    assert row is not None
    return row


async def _event(
    conn: AsyncConnection[Row], document_id: str, actor_id: str | None, kind: str, detail: dict[str, Any]
) -> int:
    """Append an event, chained to the document's previous one (the document's row locked meanwhile)."""
    await conn.execute("SELECT 1 FROM intake_documents WHERE id = %s FOR UPDATE", (document_id,))
    cursor = await conn.execute(
        "SELECT chain FROM intake_events WHERE document_id = %s AND chain IS NOT NULL "
        "ORDER BY id DESC LIMIT 1",
        (document_id,),
    )
    last = await cursor.fetchone()
    at = datetime.now(UTC)
    digest = history.event_digest(document_id, at, actor_id, kind, detail)
    cursor = await conn.execute(
        "INSERT INTO intake_events (document_id, at, actor_id, kind, detail, digest, chain) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (
            document_id,
            at,
            actor_id,
            kind,
            Jsonb(detail),
            digest,
            history.link(last["chain"] if last else None, digest),
        ),
    )
    row = await cursor.fetchone()
    assert row is not None
    return int(row["id"])


async def chained_events(pool: Pool, document_id: str) -> list[Row]:
    """A document's events as stored, oldest first, with their digests and chain."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT at, actor_id::text, kind, detail, digest, chain FROM intake_events "
            "WHERE document_id = %s ORDER BY id",
            (document_id,),
        )
        return await cursor.fetchall()


async def get_document(pool: Pool, document_id: str) -> Row | None:
    """One document (without its original or pages)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_SUMMARY} FROM intake_documents d WHERE d.id = %s", (document_id,)
        )
        return await cursor.fetchone()


async def list_documents(pool: Pool, statuses: list[str] | None, limit: int) -> list[Row]:
    """Documents, oldest first when waiting, else newest first."""
    async with pool.connection() as conn:
        if statuses:
            cursor = await conn.execute(
                f"SELECT {_SUMMARY} FROM intake_documents d WHERE d.status = ANY(%s) "
                "ORDER BY d.created_at, d.id LIMIT %s",
                (statuses, limit),
            )
        else:
            cursor = await conn.execute(
                f"SELECT {_SUMMARY} FROM intake_documents d ORDER BY d.created_at DESC, d.id LIMIT %s",
                (limit,),
            )
        return await cursor.fetchall()


async def events(pool: Pool, document_id: str) -> list[Row]:
    """A document's history, oldest first, with the actors' e-mails."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT e.at, e.kind, u.email AS actor, e.detail FROM intake_events e "
            "LEFT JOIN users u ON u.id = e.actor_id WHERE e.document_id = %s ORDER BY e.id",
            (document_id,),
        )
        return await cursor.fetchall()


async def original(pool: Pool, document_id: str) -> bytes | None:
    """The original file's bytes."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT content FROM intake_originals WHERE document_id = %s", (document_id,)
        )
        row = await cursor.fetchone()
    return bytes(row["content"]) if row else None


async def pages(pool: Pool, document_id: str) -> list[Row]:
    """The read pages (words and sizes), in order."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT number, width, height, words FROM intake_pages WHERE document_id = %s ORDER BY number",
            (document_id,),
        )
        return await cursor.fetchall()


async def preview(pool: Pool, document_id: str, number: int) -> bytes | None:
    """A page's preview image (JPEG)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT preview FROM intake_pages WHERE document_id = %s AND number = %s", (document_id, number)
        )
        row = await cursor.fetchone()
    return bytes(row["preview"]) if row else None


async def advance(
    pool: Pool,
    document_id: str,
    status: Status,
    changes: Row,
    event: tuple[str, dict[str, Any]],
    *,
    expected: tuple[Status, ...],
    pages: list[Row] | None = None,
    actor_id: str | None = None,
    max_attempts: int = 3,
) -> bool:
    """Store a step's result (or a person's decision), the next status and the next step's work item.

    One transaction, only while the document is in one of the `expected` statuses: a step run twice
    (its worker died after storing it) or a decision made twice stores once.
    """
    columns = {key: (Jsonb(value) if key in {"fields", "match"} else value) for key, value in changes.items()}
    assignments = "".join(f", {column} = %s" for column in columns)
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            f"UPDATE intake_documents SET status = %s, updated_at = now(), attempts = 0{assignments} "
            "WHERE id = %s AND status = ANY(%s) RETURNING id",
            (str(status), *columns.values(), document_id, [str(s) for s in expected]),
        )
        if await cursor.fetchone() is None:
            return False
        for page in pages or []:
            await conn.execute(
                "INSERT INTO intake_pages (document_id, number, width, height, words, preview) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (document_id, number) DO UPDATE SET "
                "width = EXCLUDED.width, height = EXCLUDED.height, words = EXCLUDED.words, "
                "preview = EXCLUDED.preview",
                (
                    document_id,
                    page["number"],
                    page["width"],
                    page["height"],
                    Jsonb(page["words"]),
                    page["preview"],
                ),
            )
        event_id = await _event(conn, document_id, actor_id, *event)
        await _queue_step(conn, document_id, status, event_id, max_attempts)
    return True


async def record_failure(
    pool: Pool, document_id: str, status: Status, reason: str | Text, attempts: int, *, final: bool
) -> bool:
    """A step's failed attempt, with its reason; `final`: the document is `failed` (a person retries).

    The reason is kept in French (the previous release reads it, and the history keeps it as decided)
    and, for a text of the catalogue, by id to be shown in the reader's language.
    """
    error, text = kept(reason)
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "UPDATE intake_documents SET attempts = %s, error = %s, error_text = %s, updated_at = now(), "
            "status = CASE WHEN %s THEN 'failed' ELSE status END WHERE id = %s AND status = %s RETURNING id",
            (attempts, error, Jsonb(text) if text else None, final, document_id, str(status)),
        )
        if await cursor.fetchone() is None:
            return False
        detail = {"error": error, "attempts": attempts, "step": str(status), "final": final}
        await _event(conn, document_id, None, "step_failed", detail)
    return True


async def retry(pool: Pool, document_id: str, actor_id: str, max_attempts: int = 3) -> bool:
    """Put a failed document back at the start (its pages are read again)."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "UPDATE intake_documents SET status = 'received', attempts = 0, error = NULL, error_text = NULL, "
            "updated_at = now() "
            "WHERE id = %s AND status = 'failed' RETURNING id",
            (document_id,),
        )
        if await cursor.fetchone() is None:
            return False
        event_id = await _event(conn, document_id, actor_id, "retried", {})
        await _queue_step(conn, document_id, Status.RECEIVED, event_id, max_attempts)
    return True


async def current_threshold(pool: Pool) -> Row | None:
    """The newest threshold an administrator set, with who and when."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT t.threshold, u.email AS set_by, t.set_at FROM intake_thresholds t "
            "JOIN users u ON u.id = t.set_by ORDER BY t.id DESC LIMIT 1"
        )
        return await cursor.fetchone()


async def set_threshold(pool: Pool, threshold: float, actor_id: str) -> None:
    """Record a new threshold (the history stays)."""
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO intake_thresholds (threshold, set_by) VALUES (%s, %s)", (threshold, actor_id)
        )
