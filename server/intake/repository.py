"""SQL of the intake: documents, originals, pages, events, thresholds, and the workers' leases."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from server.intake.schemas import RUNNABLE, Status
from tools.database import Pool

Row = dict[str, Any]
_SUMMARY = (
    "d.id::text, d.file_name, d.media_type, d.size_bytes, d.digest, d.source, d.status, d.route, "
    "d.confidence, d.fields, d.match, d.error, d.page_count, d.created_at, d.updated_at, d.threshold, "
    "d.chosen_ipp, d.chosen_nda, d.dpi_document_id, d.integrated_at, d.attempts"
)
_RUNNABLE = tuple(str(status) for status in RUNNABLE)


async def insert_document(pool: Pool, record: Row, content: bytes, actor_id: str | None) -> tuple[Row, bool]:
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
        await _event(
            conn,
            created["id"],
            actor_id,
            "received",
            {"file_name": record["file_name"], "source": record["source"], "digest": record["digest"]},
        )
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
) -> None:
    await conn.execute(
        "INSERT INTO intake_events (document_id, actor_id, kind, detail) VALUES (%s, %s, %s, %s)",
        (document_id, actor_id, kind, Jsonb(detail)),
    )


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


async def claim(pool: Pool, owner: str, lease_seconds: float) -> Row | None:
    """Take the oldest runnable document nobody holds (or whose holder's lease ran out)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE intake_documents SET lease_owner = %s, lease_until = now() + make_interval(secs => %s) "
            "WHERE id = (SELECT id FROM intake_documents WHERE status = ANY(%s) "
            "AND (lease_until IS NULL OR lease_until < now()) ORDER BY created_at, id "
            "FOR UPDATE SKIP LOCKED LIMIT 1) "
            f"RETURNING {_SUMMARY.replace('d.', '')}",
            (owner, lease_seconds, list(_RUNNABLE)),
        )
        return await cursor.fetchone()


async def advance(
    pool: Pool,
    document_id: str,
    owner: str | None,
    status: Status,
    changes: Row,
    event: tuple[str, dict[str, Any]],
    *,
    pages: list[Row] | None = None,
    actor_id: str | None = None,
    expected: tuple[Status, ...] | None = None,
) -> bool:
    """Store a step's result and the next status in one transaction.

    Only while `owner` holds the lease; for a person's decision (no owner), only while the document is
    in one of the `expected` statuses.
    """
    columns = {key: (Jsonb(value) if key in {"fields", "match"} else value) for key, value in changes.items()}
    assignments = "".join(f", {column} = %s" for column in columns)
    guard, guard_params = (
        ("lease_owner = %s", [owner]) if owner else ("status = ANY(%s)", [[str(s) for s in expected or ()]])
    )
    release = ", lease_owner = NULL, lease_until = NULL"  # the next step is claimed afresh, by any worker
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            f"UPDATE intake_documents SET status = %s, updated_at = now(){assignments}{release} "
            f"WHERE id = %s AND {guard} RETURNING id",
            (str(status), *columns.values(), document_id, *guard_params),
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
        await _event(conn, document_id, actor_id, *event)
    return True


async def fail_attempt(pool: Pool, document_id: str, owner: str, error: str, max_attempts: int) -> Row | None:
    """Count a failed attempt; past `max_attempts` the document is `failed`. The row after."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "UPDATE intake_documents SET attempts = attempts + 1, error = %s, updated_at = now(), "
            "status = CASE WHEN attempts + 1 >= %s THEN 'failed' ELSE status END, "
            "lease_owner = NULL, lease_until = CASE WHEN attempts + 1 >= %s THEN NULL "
            "ELSE now() + make_interval(secs => 5 * (attempts + 1)) END "
            "WHERE id = %s AND lease_owner = %s RETURNING status, attempts",
            (error, max_attempts, max_attempts, document_id, owner),
        )
        row = await cursor.fetchone()
        if row is not None:
            await _event(
                conn, document_id, None, "step_failed", {"error": error, "attempts": row["attempts"]}
            )
        return row


async def retry(pool: Pool, document_id: str, actor_id: str) -> bool:
    """Put a failed document back at the start (its pages are read again)."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "UPDATE intake_documents SET status = 'received', attempts = 0, error = NULL, updated_at = now() "
            "WHERE id = %s AND status = 'failed' RETURNING id",
            (document_id,),
        )
        if await cursor.fetchone() is None:
            return False
        await _event(conn, document_id, actor_id, "retried", {})
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
