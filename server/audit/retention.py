"""Retention: delete the oldest whole runs of the audit store behind a signed cut.

What goes: records 1..N (after any earlier cut, the first remaining record..N), where N is the largest
boundary such that every trace with a record at or before N has all its records at or before N, and
every one of them was recorded before the cutoff. The first trace still needed stops the walk, so a
run straddling the cutoff is kept whole, with everything after it.

How: the whole store is verified first (a purge must never erase the evidence of tampering); then, in
one transaction holding the writers' lock, a `retention_cut` record stating N, the chain value at N,
the counts and the cutoff, signed with the anchor key, is appended to the chain; the rows up to N are
deleted through the trigger's purge path; the cut is kept in `audit_cuts` in the same transaction.
"""

from __future__ import annotations

import time
import uuid
from contextlib import aclosing
from dataclasses import dataclass
from datetime import UTC, datetime

from psycopg import AsyncConnection
from psycopg.rows import DictRow

from server.audit import repository
from server.audit import retention_repository as sql
from server.audit.anchors import AnchorBook
from server.audit.chain import GENESIS, Record, link
from server.audit.cuts import KIND, Cut, cut_name, keep, load_cuts, signed_cut, store_of
from server.audit.verify import verify_store
from server.messages import MESSAGES
from tools.database import Pool
from tools.i18n import Text


class RetentionRefusedError(Exception):
    """The purge was refused (the store does not verify, or it changed under the purge).

    `text` says why in the reader's language; `str()` is its French (the worker's log).
    """

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


@dataclass(frozen=True)
class PurgePlan:
    """What a purge at `cutoff` deletes: records `first`..`upto` (nothing when `upto < first`)."""

    cutoff: datetime
    first: int
    upto: int
    traces: int
    runs: int

    @property
    def empty(self) -> bool:
        """True when nothing is old enough to go."""
        return self.upto < self.first


@dataclass(frozen=True)
class PurgeReport:
    """The plan, the number of records deleted (0 on a dry run) and the signed cut (None on a dry run)."""

    plan: PurgePlan
    deleted: int
    cut: Cut | None
    dry_run: bool


async def plan_on(conn: AsyncConnection[DictRow], cutoff: datetime) -> PurgePlan:
    """Walk the traces in store order up to the first one that must be kept; the last clean boundary."""
    limit_ns = int(cutoff.timestamp() * 1e9)
    first = await sql.first_seq(conn)
    upto, reach, traces, runs = first - 1, first - 1, 0, 0
    seen_traces = seen_runs = 0
    kept = False
    async with aclosing(sql.traces_in_order(conn)) as walk:
        async for lo, hi, last, run in walk:
            if lo > reach:  # every trace so far ends before this one begins: a boundary
                upto, traces, runs = reach, seen_traces, seen_runs
            if last >= limit_ns:
                kept = True
                break
            reach = max(reach, hi)
            seen_traces, seen_runs = seen_traces + 1, seen_runs + int(run)
    if not kept:  # every trace is old enough: the head is a boundary too
        upto, traces, runs = reach, seen_traces, seen_runs
    return PurgePlan(cutoff, max(first, 1), upto, traces, runs)


async def plan(pool: Pool, cutoff: datetime) -> PurgePlan:
    """What a purge at `cutoff` would delete now."""
    async with pool.connection() as conn, conn.transaction():
        return await plan_on(conn, cutoff)


async def purge(pool: Pool, book: AnchorBook, cutoff: datetime, *, dry_run: bool = False) -> PurgeReport:
    """Delete the whole runs recorded before `cutoff` behind a signed cut (or only say what would go).

    Raises:
        RetentionRefusedError: the store does not verify, or the records changed during the purge.
    """
    report = await verify_store(pool, book)
    if not report.ok:
        first = report.problems[0]
        raise RetentionRefusedError(
            MESSAGES("audit.purge_unverified", count=len(report.problems), kind=first.kind, seq=first.seq)
        )
    if dry_run:
        return PurgeReport(await plan(pool, cutoff), 0, None, True)
    cuts, _ = await load_cuts(pool, book)
    async with pool.connection() as conn, conn.transaction():
        head, head_chain = await repository.lock_head(conn)  # writers wait: the cut extends the chain
        planned = await plan_on(conn, cutoff)
        if planned.empty:
            return PurgeReport(planned, 0, None, False)
        cut = await _append_cut(conn, book, planned, head, head_chain, cuts)
        await keep(conn, cut)
        deleted = await sql.delete_upto(conn, planned.upto)
        if deleted != cut.records:
            raise RetentionRefusedError(
                MESSAGES("audit.purge_count_mismatch", deleted=deleted, records=cut.records)
            )
    return PurgeReport(planned, deleted, cut, False)


async def _append_cut(
    conn: AsyncConnection[DictRow],
    book: AnchorBook,
    planned: PurgePlan,
    head: int,
    head_chain: bytes,
    cuts: list[Cut],
) -> Cut:
    chain = await sql.chain_at(conn, planned.upto)
    store = store_of(await sql.chain_at(conn, 1), cuts)
    if chain is None or store is None:
        raise RetentionRefusedError(MESSAGES("audit.purge_record_missing", upto=planned.upto))
    unsigned = Cut(
        store=store,
        upto=planned.upto,
        chain=chain.hex(),
        records=await sql.count_upto(conn, planned.upto),
        traces=planned.traces,
        runs=planned.runs,
        cutoff=planned.cutoff.astimezone(UTC).isoformat(),
        at=round(time.time(), 3),
    )
    cut = signed_cut(book, unsigned)
    record = Record(head + 1, KIND, uuid.uuid4().hex, 1, time.time_ns(), None, cut_name(cut.upto), cut.body())
    digest = record.digest()
    await repository.append(conn, [(record, digest, link(head_chain, digest), link(GENESIS, digest))])
    return cut


def cutoff_for(days: int, now: float | None = None) -> datetime:
    """The cutoff of a retention of `days` days."""
    return datetime.fromtimestamp((time.time() if now is None else now) - days * 86400, UTC)
