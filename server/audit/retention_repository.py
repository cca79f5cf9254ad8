"""The SQL of retention: the traces in store order, the cut records, and the one deliberate DELETE."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from psycopg import AsyncConnection
from psycopg.rows import DictRow

from tools.database import Pool

CUT_KIND = "retention_cut"  # the kind of the records that state a retention cut


async def traces_in_order(conn: AsyncConnection[DictRow]) -> AsyncGenerator[tuple[int, int, int, bool]]:
    """Each trace as (first seq, last seq, last recorded_ns, is a run), by first seq; streamed.

    The caller stops reading at the first trace it must keep, so a daily purge reads little more than
    what it deletes (the cursor lives in the caller's transaction).
    """
    async with conn.cursor(name="audit_retention") as cursor:
        await cursor.execute(
            "SELECT min(seq) AS lo, max(seq) AS hi, max(recorded_ns) AS last, "
            "bool_or(kind = 'run_start') AS run FROM audit_records GROUP BY trace_id ORDER BY min(seq)"
        )
        while rows := await cursor.fetchmany(500):
            for row in rows:
                yield int(row["lo"]), int(row["hi"]), int(row["last"]), bool(row["run"])


async def first_seq(conn: AsyncConnection[DictRow]) -> int:
    """The first record still stored (0 when the store is empty)."""
    row = await (await conn.execute("SELECT min(seq) AS seq FROM audit_records")).fetchone()
    return int(row["seq"]) if row and row["seq"] is not None else 0


async def chain_at(conn: AsyncConnection[DictRow], seq: int) -> bytes | None:
    """The chain value of record `seq`."""
    row = await (await conn.execute("SELECT chain FROM audit_records WHERE seq = %s", (seq,))).fetchone()
    return bytes(row["chain"]) if row else None


async def count_upto(conn: AsyncConnection[DictRow], seq: int) -> int:
    """How many records are stored up to `seq`."""
    query = "SELECT count(*) AS n FROM audit_records WHERE seq <= %s"
    row = await (await conn.execute(query, (seq,))).fetchone()
    return int(row["n"]) if row else 0


async def stored_cuts(pool: Pool) -> list[tuple[int, str]]:
    """The cut records still in the store, as (seq, body), oldest first."""
    async with pool.connection() as conn:
        rows = await (
            await conn.execute(
                "SELECT seq, body FROM audit_records WHERE kind = %s ORDER BY seq", (CUT_KIND,)
            )
        ).fetchall()
    return [(int(row["seq"]), row["body"]) for row in rows]


async def delete_upto(conn: AsyncConnection[DictRow], upto: int) -> int:
    """Delete records 1..`upto` through the trigger's purge path (a cut stating `upto` must be stored)."""
    await conn.execute("SELECT set_config('ariane.audit_purge_upto', %s, true)", (str(upto),))
    cursor = await conn.execute("DELETE FROM audit_records WHERE seq <= %s", (upto,))
    await conn.execute("SELECT set_config('ariane.audit_purge_upto', '', true)")
    return cursor.rowcount


async def first_record(pool: Pool) -> int:
    """The first record still stored (0 when the store is empty)."""
    async with pool.connection() as conn:
        return await first_seq(conn)
