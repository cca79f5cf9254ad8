"""SQL of knowledge data quality: review dates, duplicates, pages without text, documents never cited."""

from __future__ import annotations

from psycopg.rows import DictRow

from tools.database import Pool


async def documents(pool: Pool, review_months: int) -> list[DictRow]:
    """Every knowledge document with what its quality depends on.

    `review_on` is the review date set on the document, else `review_months` after it was indexed;
    `text_digest` is a digest of its extracted text (the same text in a PDF and a DOCX is one
    document twice); `empty_pages` counts the pages of a PDF that gave no text (scans).
    """
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            SELECT d.id::text, d.collection, d.title, d.sha256, d.pages, d.media_type, d.characters,
                   d.created_at,
                   coalesce(d.review_by, (d.indexed_at + make_interval(months => %s))::date) AS review_on,
                   d.review_by IS NOT NULL AS review_set,
                   (SELECT md5(string_agg(c.text, ' ' ORDER BY c.ordinal))
                    FROM knowledge_chunks c WHERE c.document_id = d.id) AS text_digest,
                   CASE WHEN d.media_type = 'application/pdf' AND d.pages > 0 THEN
                       d.pages - (SELECT count(DISTINCT c.page) FROM knowledge_chunks c
                                  WHERE c.document_id = d.id AND c.page BETWEEN 1 AND d.pages)
                   ELSE 0 END AS empty_pages
            FROM knowledge_documents d
            ORDER BY d.collection, d.created_at, d.id
            """,
            (review_months,),
        )
        return await cursor.fetchall()


async def cited_documents(pool: Pool) -> dict[str, int]:
    """How many answers cited each knowledge document (ids of documents never cited are absent)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            SELECT c.value->>'id' AS id, count(DISTINCT r.id) AS answers
            FROM runs r, jsonb_array_elements(r.citations) c
            WHERE jsonb_typeof(r.citations) = 'array' AND c.value->>'source' = 'knowledge'
            GROUP BY 1
            """
        )
        return {str(row["id"]): int(row["answers"]) for row in await cursor.fetchall()}
