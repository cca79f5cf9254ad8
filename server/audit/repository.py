"""All SQL of the audit store."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow

from server.audit.chain import Record
from tools.database import Pool

_LOCK = 0x41524941  # "ARIA": one writer at a time extends the chain, across processes
_COLUMNS = "seq, kind, trace_id, trace_seq, recorded_ns, run_id, name, body, digest, chain, trace_chain"


async def lock_head(conn: AsyncConnection[DictRow]) -> tuple[int, bytes]:
    """Take the writer lock (until the transaction ends) and read the store's head (seq, chain)."""
    await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
    row = await (
        await conn.execute("SELECT seq, chain FROM audit_records ORDER BY seq DESC LIMIT 1")
    ).fetchone()
    return (int(row["seq"]), bytes(row["chain"])) if row else (0, b"")


async def lock_heads(
    conn: AsyncConnection[DictRow], trace_ids: Sequence[str]
) -> tuple[tuple[int, bytes], dict[str, tuple[int, bytes]]]:
    """Take the writer lock, then read the store's head and the heads of `trace_ids`: one round trip.

    The trace heads are each trace's last (trace_seq, trace_chain) already stored. Pipelined, the
    statements still run one after the other, each reading after the previous one ended: the heads
    are read once the lock is held.
    """
    async with conn.pipeline():
        locked = await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        head = await conn.execute("SELECT seq, chain FROM audit_records ORDER BY seq DESC LIMIT 1")
        traces = await conn.execute(
            "SELECT DISTINCT ON (trace_id) trace_id, trace_seq, trace_chain FROM audit_records "
            "WHERE trace_id = ANY(%s) ORDER BY trace_id, trace_seq DESC",
            (list(trace_ids),),
        )
    await locked.fetchall()
    row = await head.fetchone()
    heads = {
        found["trace_id"]: (int(found["trace_seq"]), bytes(found["trace_chain"]))
        for found in await traces.fetchall()
    }
    return ((int(row["seq"]), bytes(row["chain"])) if row else (0, b"")), heads


async def append(conn: AsyncConnection[DictRow], rows: Sequence[tuple[Record, bytes, bytes, bytes]]) -> None:
    """COPY records with their digest and links (the caller holds the writer lock)."""
    async with conn.cursor().copy(f"COPY audit_records ({_COLUMNS}) FROM STDIN") as copy:
        for record, digest, chain, trace_chain in rows:
            await copy.write_row(
                (
                    record.seq,
                    record.kind,
                    record.trace_id,
                    record.trace_seq,
                    record.recorded_ns,
                    record.run_id,
                    record.name,
                    record.body,
                    digest,
                    chain,
                    trace_chain,
                )
            )


async def first_chain(pool: Pool) -> bytes | None:
    """The chain value of the store's first record: the store's identity in anchors.

    Once a retention cut deleted record 1, the identity is the one the newest cut record carries (the
    newest cut is never deleted: a purge appends its own before it deletes). Without record 1 nor a cut
    (deleted by someone bypassing the triggers), the first remaining record's chain: verification
    reports the deletion, and anchors keep being written meanwhile.
    """
    queries = (
        "SELECT chain FROM audit_records WHERE seq = 1",
        "SELECT decode((body::jsonb)->>'store', 'hex') AS chain FROM audit_records "
        "WHERE kind = 'retention_cut' ORDER BY seq DESC LIMIT 1",
        "SELECT chain FROM audit_records ORDER BY seq LIMIT 1",
    )
    async with pool.connection() as conn:
        for query in queries:
            row = await (await conn.execute(query)).fetchone()
            if row is not None and row["chain"] is not None:
                return bytes(row["chain"])
    return None


async def head(pool: Pool) -> tuple[int, bytes]:
    """The store's head (0, b"" when empty)."""
    async with pool.connection() as conn:
        row = await (
            await conn.execute("SELECT seq, chain FROM audit_records ORDER BY seq DESC LIMIT 1")
        ).fetchone()
    return (int(row["seq"]), bytes(row["chain"])) if row else (0, b"")


async def all_records(pool: Pool, batch: int = 2000) -> AsyncIterator[dict[str, Any]]:
    """Every record in `seq` order, streamed (server-side cursor)."""
    async with pool.connection() as conn, conn.transaction(), conn.cursor(name="audit_verify") as cursor:
        await cursor.execute(f"SELECT {_COLUMNS} FROM audit_records ORDER BY seq")
        while rows := await cursor.fetchmany(batch):
            for row in rows:
                yield row


async def approval_spans(pool: Pool, run_id: str) -> list[dict[str, Any]]:
    """Approval spans recorded for a run in other traces (the approver's decision is its own request)."""
    async with pool.connection() as conn:
        rows = await (
            await conn.execute(
                "SELECT body FROM audit_records WHERE kind = 'span' AND run_id = %s "
                "AND name LIKE 'approval%%' ORDER BY seq",
                (run_id,),
            )
        ).fetchall()
    return [json.loads(row["body"]) for row in rows]


async def trace_records(pool: Pool, trace_id: str, *, previous: bool = False) -> list[dict[str, Any]]:
    """A trace's records in order; with `previous`, each with the chain of the record before it."""
    extra = ", p.chain AS previous_chain" if previous else ""
    join = "LEFT JOIN audit_records p ON p.seq = r.seq - 1" if previous else ""
    columns = ", ".join(f"r.{column.strip()}" for column in _COLUMNS.split(","))
    async with pool.connection() as conn:
        rows = await (
            await conn.execute(
                f"SELECT {columns}{extra} FROM audit_records r {join} "
                "WHERE r.trace_id = %s ORDER BY r.trace_seq",
                (trace_id,),
            )
        ).fetchall()
    return list(rows)


async def run_start(pool: Pool, run_id: str) -> dict[str, Any] | None:
    """The `run_start` record of a run."""
    async with pool.connection() as conn:
        return await (
            await conn.execute(
                "SELECT trace_id, body FROM audit_records WHERE kind = 'run_start' AND run_id = %s", (run_id,)
            )
        ).fetchone()


async def list_runs(
    pool: Pool,
    *,
    user_id: str | None,
    user: str | None,
    assistant: str | None,
    since: datetime | None,
    until: datetime | None,
    model: str | None,
    tool: str | None,
    refusals: bool,
    approvals: bool,
    limit: int,
) -> list[dict[str, Any]]:
    """Runs (their start and end records), newest first, filtered."""
    where = ["s.kind = 'run_start'"]
    params: list[Any] = []
    start = "(s.body::jsonb)"
    if user_id is not None:
        where.append(f"{start}->'caller'->>'id' = %s")
        params.append(user_id)
    if user:
        where.append(f"({start}->'caller'->>'email' ILIKE %s OR {start}->'caller'->>'id' = %s)")
        params += [f"%{user}%", user]
    if assistant:
        where.append(f"{start}->'assistant'->>'id' = %s")
        params.append(assistant)
    if since is not None:
        where.append(f"({start}->>'now')::timestamptz >= %s")
        params.append(since)
    if until is not None:
        where.append(f"({start}->>'now')::timestamptz < %s")
        params.append(until)
    summary = "(e.body::jsonb)->'summary'"
    if model:
        where.append(f"{summary}->'models' ? %s")
        params.append(model)
    if tool:
        where.append(f"{summary}->'tools' ? %s")
        params.append(tool)
    if refusals:
        where.append(f"({summary}->>'refusals')::int > 0")
    if approvals:
        where.append(
            "EXISTS (SELECT 1 FROM audit_records a WHERE a.kind = 'span' "
            "AND (a.trace_id = s.trace_id OR a.run_id = s.run_id) AND a.name LIKE 'approval%%')"
        )
    params.append(limit)
    sql = (
        "SELECT s.run_id, s.trace_id, s.body AS start, e.body AS end FROM audit_records s "
        "LEFT JOIN audit_records e ON e.trace_id = s.trace_id AND e.kind = 'run_end' "
        f"WHERE {' AND '.join(where)} ORDER BY s.seq DESC LIMIT %s"
    )
    async with pool.connection() as conn:
        return list(await (await conn.execute(sql, params)).fetchall())


async def trace_context_key(pool: Pool, candidate: bytes) -> bytes:
    """The shared trace-context key: `candidate` if none was stored yet, else the stored one."""
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO trace_context_key (id, key) VALUES (1, %s) ON CONFLICT (id) DO NOTHING", (candidate,)
        )
        cursor = await conn.execute("SELECT key FROM trace_context_key WHERE id = 1")
        row = await cursor.fetchone()
    assert row is not None
    return bytes(row["key"])
