"""SQL of conversation attachments: stored with their passages in one transaction, ranked per thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.attachments.schemas import Attachment
from server.knowledge.chunking import Chunk
from server.knowledge.repository import Vector
from tools.database import Pool

RRF_K = 60  # as the knowledge search: ranks matter, raw scores do not
_COLUMNS = "id::text, thread_id::text, filename, media_type, size_bytes, pages, chunks, ocr, created_at"


@dataclass(frozen=True)
class NewAttachment:
    """What is stored about a file besides its passages."""

    thread_id: str
    filename: str
    media_type: str
    content: bytes
    sha256: str
    pages: int
    ocr: bool


class ThreadFullError(Exception):
    """The thread already has its maximum of attachments (counted under its row's lock)."""


async def insert(
    pool: Pool, new: NewAttachment, chunks: list[Chunk], vectors: Vector, max_files: int
) -> Attachment:
    """Store the file and all its passages at once: an attachment is searchable whole, or not there.

    The thread's row is locked while its files are counted again, so that uploads read in parallel
    cannot together pass `max_files` (each was counted before its seconds of reading).

    Raises:
        ThreadFullError: the thread has `max_files` attachments already; nothing is stored.
    """
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("SELECT id FROM threads WHERE id = %s FOR UPDATE", (new.thread_id,))
        count = await (
            await conn.execute(
                "SELECT count(*) AS files FROM thread_attachments WHERE thread_id = %s", (new.thread_id,)
            )
        ).fetchone()
        if count is not None and int(count["files"]) >= max_files:
            raise ThreadFullError(new.thread_id)
        cursor = await conn.execute(
            "INSERT INTO thread_attachments (thread_id, filename, media_type, content, sha256, size_bytes, "
            f"pages, chunks, ocr) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING {_COLUMNS}",
            (
                new.thread_id,
                new.filename,
                new.media_type,
                new.content,
                new.sha256,
                len(new.content),
                new.pages,
                len(chunks),
                new.ocr,
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        async with conn.cursor() as chunk_cursor:
            await chunk_cursor.executemany(
                "INSERT INTO thread_attachment_chunks (attachment_id, thread_id, ordinal, locator, page, "
                "heading, text, embedding) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (row["id"], new.thread_id, c.ordinal, c.locator, c.page, c.heading, c.text, vectors[i])
                    for i, c in enumerate(chunks)
                ],
            )
    return Attachment.model_validate(row)


async def list_for(pool: Pool, thread_id: str) -> list[Attachment]:
    """A thread's attachments, oldest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_COLUMNS} FROM thread_attachments WHERE thread_id = %s ORDER BY created_at, id",
            (thread_id,),
        )
        return [Attachment.model_validate(row) for row in await cursor.fetchall()]


async def content(pool: Pool, thread_id: str, attachment_id: str) -> tuple[Attachment, bytes] | None:
    """An attachment of the thread and its file's bytes, or None."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_COLUMNS}, content FROM thread_attachments WHERE thread_id = %s AND id = %s",
            (thread_id, attachment_id),
        )
        row = await cursor.fetchone()
    if row is None:
        return None
    return Attachment.model_validate(row), bytes(row["content"])


async def delete(pool: Pool, thread_id: str, attachment_id: str) -> bool:
    """Remove an attachment and its passages; False when the thread has no such attachment."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "DELETE FROM thread_attachments WHERE thread_id = %s AND id = %s", (thread_id, attachment_id)
        )
        return cursor.rowcount > 0


async def totals(pool: Pool, thread_id: str) -> tuple[int, int]:
    """How many attachments a thread has, and how many passages in all."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT count(*) AS files, coalesce(sum(chunks), 0) AS chunks FROM thread_attachments "
            "WHERE thread_id = %s",
            (thread_id,),
        )
        row = await cursor.fetchone()
    assert row is not None
    return int(row["files"]), int(row["chunks"])


_RANKED = """
WITH q AS (SELECT replace(plainto_tsquery('french', %(query)s)::text, '&', '|')::tsquery AS query),
scored AS (
    SELECT c.attachment_id::text AS attachment_id, a.filename, c.ordinal, c.locator, c.heading, c.text,
           CASE WHEN %(vector)s::vector IS NULL THEN NULL
                ELSE 1 - (c.embedding <=> %(vector)s::vector) END AS similarity,
           CASE WHEN c.tsv @@ q.query THEN ts_rank(c.tsv, q.query) END AS text_rank
    FROM thread_attachment_chunks c JOIN thread_attachments a ON a.id = c.attachment_id, q
    WHERE c.thread_id = %(thread)s
),
ranked AS (
    SELECT *,
           CASE WHEN similarity IS NOT NULL THEN rank() OVER (ORDER BY similarity DESC NULLS LAST) END AS vr,
           CASE WHEN text_rank IS NOT NULL THEN rank() OVER (ORDER BY text_rank DESC NULLS LAST) END AS tr
    FROM scored
)
SELECT attachment_id, filename, locator, heading, text, similarity, text_rank,
       coalesce(1.0 / (%(rrf)s + vr), 0) + coalesce(1.0 / (%(rrf)s + tr), 0) AS score
FROM ranked
ORDER BY score DESC, attachment_id, ordinal
LIMIT %(top)s
"""


async def ranked_passages(
    pool: Pool, thread_id: str, query: str, vector: Any | None, top: int
) -> list[dict[str, Any]]:
    """The thread's best passages for `query`: vectors and French full text fused by rank.

    Any word of the question may match (a conversation holds a few files, not a collection); without
    a vector (the embedding failed), full text alone ranks.
    """
    async with pool.connection() as conn:
        cursor = await conn.execute(
            _RANKED, {"query": query, "vector": vector, "thread": thread_id, "rrf": RRF_K, "top": top}
        )
        return list(await cursor.fetchall())
