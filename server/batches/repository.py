"""SQL of batches and their rows."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from tools.database import Pool

Row = dict[str, Any]
_BATCH = (
    "b.id::text, b.owner_id::text, b.title, b.filename, b.source, b.source_item, b.sha256, b.columns, "
    "b.data_class, b.detected_class, b.mode, b.model, b.temperature, b.max_tokens, b.instruction, b.body, "
    "b.review_required, b.language, "
    "b.status, b.concurrency, b.total, b.error, b.waiting_until, b.created_at, b.launched_at, "
    "b.finished_at, b.updated_at, u.email AS owner_email, u.display_name AS owner_name"
)
_ROW = (
    'number, "values", status, attempts, data_class, findings, output, model_used, error_code, error, '
    "review, edited, reviewed_at, sent_at, completed_at"
)
EDITABLE = (
    "title",
    "data_class",
    "mode",
    "model",
    "temperature",
    "max_tokens",
    "instruction",
    "body",
    "review_required",
)


async def create_batch(pool: Pool, batch: Row, rows: list[dict[str, str]]) -> str:
    """Store a draft batch and its rows in one transaction; its id."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "INSERT INTO batches (owner_id, title, filename, source, source_item, sha256, columns, "
            "data_class, detected_class, concurrency, total, body, language) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id::text",
            (
                batch["owner_id"],
                batch["title"],
                batch["filename"],
                batch["source"],
                batch["source_item"],
                batch["sha256"],
                Jsonb(batch["columns"]),
                batch["data_class"],
                batch["detected_class"],
                batch["concurrency"],
                len(rows),
                batch["body"],
                batch["language"],
            ),
        )
        found = await cursor.fetchone()
        assert found is not None
        batch_id = str(found["id"])
        async with conn.cursor().copy('COPY batch_rows (batch_id, number, "values") FROM STDIN') as copy:
            for number, values in enumerate(rows, start=1):
                await copy.write_row((batch_id, number, Jsonb(values)))
    return batch_id


async def get_batch(pool: Pool, batch_id: str) -> Row | None:
    """One batch with its owner."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_BATCH} FROM batches b JOIN users u ON u.id = b.owner_id WHERE b.id = %s", (batch_id,)
        )
        return await cursor.fetchone()


async def list_batches(pool: Pool, owner_id: str, limit: int = 100) -> list[Row]:
    """The owner's batches, newest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_BATCH} FROM batches b JOIN users u ON u.id = b.owner_id WHERE b.owner_id = %s "
            "ORDER BY b.created_at DESC LIMIT %s",
            (owner_id, limit),
        )
        return await cursor.fetchall()


async def update_draft(pool: Pool, batch_id: str, changes: Row) -> bool:
    """Change a draft's settings; False when the batch is no longer a draft."""
    fields = [name for name in EDITABLE if name in changes]
    if not fields:
        return True
    assignments = ", ".join(f"{name} = %s" for name in fields)
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"UPDATE batches SET {assignments}, updated_at = now() WHERE id = %s AND status = 'draft'",
            (*[changes[name] for name in fields], batch_id),
        )
        return cursor.rowcount == 1


async def counts(pool: Pool, batch_id: str) -> dict[str, int]:
    """Rows per status, and reviews per decision (`review_<decision>`)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT status AS name, count(*) AS n FROM batch_rows WHERE batch_id = %s GROUP BY status "
            "UNION ALL SELECT 'review_' || review, count(*) FROM batch_rows "
            "WHERE batch_id = %s AND status = 'done' GROUP BY review",
            (batch_id, batch_id),
        )
        return {row["name"]: int(row["n"]) for row in await cursor.fetchall()}


async def recent_rate(pool: Pool, batch_id: str, seconds: int = 60) -> int:
    """Rows finished in the last `seconds`."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT count(*) AS n FROM batch_rows WHERE batch_id = %s AND completed_at > "
            "now() - make_interval(secs => %s)",
            (batch_id, seconds),
        )
        found = await cursor.fetchone()
    return int(found["n"]) if found else 0


async def rows(
    pool: Pool, batch_id: str, *, first: int = 1, limit: int = 50, status: str | None = None
) -> list[Row]:
    """Rows from number `first` on (of one status when given)."""
    where = "batch_id = %s AND number >= %s" + (" AND status = %s" if status else "")
    args: tuple[Any, ...] = (batch_id, first, status) if status else (batch_id, first)
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_ROW} FROM batch_rows WHERE {where} ORDER BY number LIMIT %s", (*args, limit)
        )
        return await cursor.fetchall()


async def all_rows(pool: Pool, batch_id: str) -> list[Row]:
    """Every row, in order (exports)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_ROW} FROM batch_rows WHERE batch_id = %s ORDER BY number", (batch_id,)
        )
        return await cursor.fetchall()


async def row(pool: Pool, batch_id: str, number: int) -> Row | None:
    """One row."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_ROW} FROM batch_rows WHERE batch_id = %s AND number = %s", (batch_id, number)
        )
        return await cursor.fetchone()


async def set_status(
    pool: Pool, batch_id: str, status: str, *, expected: tuple[str, ...], error: str | None = None
) -> bool:
    """Move the batch to `status` from one of `expected`; False when it was in another state."""
    finished = status in {"completed", "cancelled", "failed"}
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE batches SET status = %s, error = %s, updated_at = now(), "
            "finished_at = CASE WHEN %s THEN now() ELSE finished_at END, "
            "token_sealed = CASE WHEN %s THEN NULL ELSE token_sealed END, "
            "runner = CASE WHEN status <> %s THEN NULL ELSE runner END "
            "WHERE id = %s AND status = ANY(%s)",
            (status, error, finished, finished, status, batch_id, list(expected)),
        )
        return cursor.rowcount == 1


async def launch(pool: Pool, batch_id: str, token_sealed: bytes, concurrency: int) -> bool:
    """Draft → running, with the owner's sealed token; False when it was not a draft."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE batches SET status = 'running', token_sealed = %s, concurrency = %s, "
            "launched_at = now(), updated_at = now() WHERE id = %s AND status = 'draft'",
            (token_sealed, concurrency, batch_id),
        )
        return cursor.rowcount == 1


async def resume(pool: Pool, batch_id: str, token_sealed: bytes) -> bool:
    """Paused (or failed) → running again, with a fresh token; failed rows are tried again."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            "UPDATE batches SET status = 'running', token_sealed = %s, error = NULL, waiting_until = NULL, "
            "finished_at = NULL, updated_at = now() WHERE id = %s AND status IN ('paused', 'failed')",
            (token_sealed, batch_id),
        )
        if cursor.rowcount != 1:
            return False
        await conn.execute(
            "UPDATE batch_rows SET status = 'pending', next_attempt_at = now(), error = NULL, "
            "error_code = NULL WHERE batch_id = %s AND status = 'failed'",
            (batch_id,),
        )
    return True


async def cancel_rows(pool: Pool, batch_id: str) -> int:
    """Rows not yet sent are cancelled (those in flight finish)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE batch_rows SET status = 'cancelled', completed_at = now() "
            "WHERE batch_id = %s AND status = 'pending'",
            (batch_id,),
        )
        return cursor.rowcount


async def review(
    pool: Pool, batch_id: str, number: int, decision: str, edited: str | None, reviewer_id: str
) -> Row | None:
    """Record a review of a finished row; the row, or None when it is not finished."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE batch_rows SET review = %s, edited = %s, reviewed_by = %s, reviewed_at = now() "
            f"WHERE batch_id = %s AND number = %s AND status = 'done' RETURNING {_ROW}",
            (decision, edited, reviewer_id, batch_id, number),
        )
        return await cursor.fetchone()


async def review_all(pool: Pool, batch_id: str, decision: str, reviewer_id: str) -> int:
    """Accept (or reject) every finished row not reviewed yet."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE batch_rows SET review = %s, reviewed_by = %s, reviewed_at = now() "
            "WHERE batch_id = %s AND status = 'done' AND review = 'pending'",
            (decision, reviewer_id, batch_id),
        )
        return cursor.rowcount
