"""SQL of knowledge documents and chunks: atomic indexing, deletion, hybrid retrieval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from psycopg import AsyncConnection
from psycopg.rows import DictRow

from server.knowledge.chunking import Chunk
from server.knowledge.schemas import KnowledgeDocument
from tools.database import Pool

Vector = npt.NDArray[np.float32]
RRF_K = 60  # the usual reciprocal-rank-fusion constant: ranks matter, raw scores do not
EF_SEARCH = 200  # HNSW candidate list: ≥ the vector top-k; 100 gave recall@10 0.94–0.98 at 100k, 200 ≈ 0.99
# Full text ranks only words held by at most this share of the collection's chunks (or this many):
# common words would make it rank most chunks (a second per query at 100 000 chunks), and rank little.
MAX_WORD_SHARE = 0.005
MIN_WORD_CAP = 100
# Letters and their accent-free forms (as migration 0017's `knowledge_lexemes.folded`).
ACCENTS = "àâäáãåéèêëíìîïóòôöõúùûüýÿçñ"
PLAIN = "aaaaaaeeeeiiiiooooouuuuyycn"

_DOCUMENT_COLUMNS = (
    "id::text, collection, title, filename, media_type, source, source_item, url, size_bytes, pages, "
    "sections, chunks, characters, created_by, created_at, indexed_at, review_by"
)


@dataclass(frozen=True)
class NewDocument:
    """What indexing stores about a document besides its chunks."""

    collection: str
    title: str
    filename: str
    media_type: str
    source: str
    source_item: str | None
    url: str | None
    content: bytes
    sha256: str
    pages: int
    sections: int
    created_by: str


async def insert_document(
    pool: Pool, document: NewDocument, chunks: list[Chunk], vectors: Vector
) -> KnowledgeDocument:
    """Store a document and all its chunks in one transaction: visible whole, or not at all."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "INSERT INTO knowledge_documents (collection, title, filename, media_type, source, "
            "source_item, url, content, sha256, size_bytes, pages, sections, created_by) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id::text",
            (
                document.collection,
                document.title,
                document.filename,
                document.media_type,
                document.source,
                document.source_item,
                document.url,
                document.content,
                document.sha256,
                len(document.content),
                document.pages,
                document.sections,
                document.created_by,
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        stored = await _replace_chunks(conn, row["id"], document.collection, chunks, vectors)
    return stored


_ADD_LEXEMES = """
INSERT INTO knowledge_lexemes (collection, lexeme, chunks)
SELECT %(collection)s, lexeme, count(*) FROM knowledge_chunks, unnest(tsv)
WHERE document_id = %(document)s GROUP BY lexeme ORDER BY lexeme
ON CONFLICT (collection, lexeme) DO UPDATE SET chunks = knowledge_lexemes.chunks + EXCLUDED.chunks
"""
_REMOVE_LEXEMES = """
UPDATE knowledge_lexemes l SET chunks = GREATEST(l.chunks - s.n, 0)
FROM (SELECT lexeme, count(*) AS n FROM knowledge_chunks, unnest(tsv)
      WHERE document_id = %(document)s GROUP BY lexeme ORDER BY lexeme) s
WHERE l.collection = %(collection)s AND l.lexeme = s.lexeme
"""


async def replace_chunks(
    pool: Pool, document_id: str, collection: str, chunks: list[Chunk], vectors: Vector
) -> KnowledgeDocument:
    """Swap a document's chunks for new ones in one transaction (re-indexing): never half old, half new."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute(_REMOVE_LEXEMES, {"collection": collection, "document": document_id})
        await conn.execute("DELETE FROM knowledge_chunks WHERE document_id = %s", (document_id,))
        return await _replace_chunks(conn, document_id, collection, chunks, vectors)


async def _replace_chunks(
    conn: AsyncConnection[DictRow], document_id: str, collection: str, chunks: list[Chunk], vectors: Vector
) -> KnowledgeDocument:
    async with conn.cursor() as cursor:
        await cursor.executemany(
            "INSERT INTO knowledge_chunks (document_id, collection, ordinal, locator, page, heading, text, "
            "embedding) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (document_id, collection, c.ordinal, c.locator, c.page, c.heading, c.text, vectors[i])
                for i, c in enumerate(chunks)
            ],
        )
    # Sorted upserts: concurrent indexing in one collection locks lexemes in the same order.
    await conn.execute(_ADD_LEXEMES, {"collection": collection, "document": document_id})
    cursor2 = await conn.execute(
        f"UPDATE knowledge_documents SET chunks = %s, characters = %s, indexed_at = now() "
        f"WHERE id = %s RETURNING {_DOCUMENT_COLUMNS}",
        (len(chunks), sum(len(c.text) for c in chunks), document_id),
    )
    row = await cursor2.fetchone()
    assert row is not None
    return KnowledgeDocument.model_validate(row)


async def list_documents(pool: Pool, collection: str) -> list[KnowledgeDocument]:
    """The collection's documents, oldest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM knowledge_documents WHERE collection = %s "
            f"ORDER BY created_at, id",
            (collection,),
        )
        return [KnowledgeDocument.model_validate(row) for row in await cursor.fetchall()]


async def get_document(pool: Pool, collection: str, document_id: str) -> KnowledgeDocument | None:
    """One document of the collection."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM knowledge_documents WHERE collection = %s AND id = %s",
            (collection, document_id),
        )
        row = await cursor.fetchone()
    return KnowledgeDocument.model_validate(row) if row else None


async def find_document(pool: Pool, document_id: str) -> KnowledgeDocument | None:
    """A document by its id, in whichever collection (the viewer checks the collection's readers)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM knowledge_documents WHERE id = %s", (document_id,)
        )
        row = await cursor.fetchone()
    return KnowledgeDocument.model_validate(row) if row else None


async def set_review_by(pool: Pool, collection: str, document_id: str, review_by: date | None) -> bool:
    """Set or clear a document's review date; False when it is not in the collection."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE knowledge_documents SET review_by = %s WHERE collection = %s AND id = %s",
            (review_by, collection, document_id),
        )
        return cursor.rowcount == 1


async def document_content(pool: Pool, document_id: str) -> bytes:
    """The stored file (re-indexing reads it again)."""
    async with pool.connection() as conn:
        cursor = await conn.execute("SELECT content FROM knowledge_documents WHERE id = %s", (document_id,))
        row = await cursor.fetchone()
    assert row is not None
    return bytes(row["content"])


async def delete_document(pool: Pool, collection: str, document_id: str) -> bool:
    """Delete a document and its chunks (cascade), at once for every later search."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute(_REMOVE_LEXEMES, {"collection": collection, "document": document_id})
        cursor = await conn.execute(
            "DELETE FROM knowledge_documents WHERE collection = %s AND id = %s", (collection, document_id)
        )
        return cursor.rowcount == 1


async def has_document(pool: Pool, collection: str, source_item: str) -> bool:
    """True when the collection already holds a document read from `source_item` (seeding)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT 1 FROM knowledge_documents WHERE collection = %s AND source_item = %s",
            (collection, source_item),
        )
        return await cursor.fetchone() is not None


# Vector top-k and full-text top-k of one collection, fused by reciprocal rank. The question's words
# are OR-ed (a question rarely has all its words in one passage); `french` stems and drops stop words;
# each of the question's lexemes stands for the collection's lexemes of the same accent-free form.
_HYBRID = """
WITH vec AS MATERIALIZED (
    SELECT id, embedding <=> %(vector)s AS distance
    FROM knowledge_chunks WHERE collection = %(collection)s
    ORDER BY embedding <=> %(vector)s LIMIT %(k)s
), vec_ranked AS (
    SELECT id, 1 - distance AS similarity, row_number() OVER (ORDER BY distance) AS rank FROM vec
), words AS (
    SELECT NULLIF(array_to_string(ARRAY(
        SELECT DISTINCT quote_literal(l.lexeme) FROM unnest(to_tsvector('french', %(query)s)) u
        JOIN knowledge_lexemes l ON l.collection = %(collection)s
            AND l.folded = translate(u.lexeme, %(accents)s, %(plain)s)
        WHERE l.chunks > 0 AND l.chunks <= GREATEST(%(cap)s, %(share)s * (
            SELECT COALESCE(sum(chunks), 0) FROM knowledge_documents WHERE collection = %(collection)s))
    ), ' | '), '')::tsquery AS q
), fts AS (
    SELECT c.id, ts_rank_cd(c.tsv, words.q) AS text_rank,
           row_number() OVER (ORDER BY ts_rank_cd(c.tsv, words.q) DESC, c.id) AS rank
    FROM knowledge_chunks c, words
    WHERE words.q IS NOT NULL AND c.collection = %(collection)s AND c.tsv @@ words.q
    ORDER BY text_rank DESC, c.id LIMIT %(k)s
)
SELECT c.document_id::text, d.title, c.locator, c.heading, c.text, d.url, d.source, d.source_item,
       COALESCE(1.0 / (%(rrf)s + v.rank), 0) + COALESCE(1.0 / (%(rrf)s + f.rank), 0) AS score,
       v.similarity, f.text_rank
FROM vec_ranked v FULL JOIN fts f ON f.id = v.id
JOIN knowledge_chunks c ON c.id = COALESCE(v.id, f.id)
JOIN knowledge_documents d ON d.id = c.document_id
ORDER BY score DESC, c.id
LIMIT %(top)s
"""


async def hybrid_search(
    pool: Pool, collection: str, query: str, vector: Vector, top: int, k: int
) -> list[dict[str, Any]]:
    """The `top` best chunks of a collection by reciprocal-rank fusion of vector and full-text ranks."""
    async with pool.connection() as conn, conn.transaction():
        # Filtered HNSW scans: keep scanning until k rows of the collection are found.
        await conn.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, k)}")
        await conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        cursor = await conn.execute(
            _HYBRID,
            {
                "vector": vector,
                "collection": collection,
                "query": query,
                "k": k,
                "top": top,
                "rrf": RRF_K,
                "cap": MIN_WORD_CAP,
                "share": MAX_WORD_SHARE,
                "accents": ACCENTS,
                "plain": PLAIN,
            },
        )
        return list(await cursor.fetchall())
