"""Verification: recompute every digest and both chains, and check the signed anchors.

Problems found are named by what they reveal: `edited` (a record's content no longer matches its
digest), `deleted` (a gap in a sequence), `inserted` or `relinked` (a link that does not follow from the
record before), `anchor_mismatch` / `truncated` / `bad_signature` (the store is not what was anchored).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from server.audit import repository
from server.audit.anchors import AnchorBook
from server.audit.chain import GENESIS, Record, link
from tools.database import Pool

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing verification found wrong."""

    kind: str
    seq: int | None
    detail: str


@dataclass
class Report:
    """The outcome of a verification."""

    scope: str
    records: int = 0
    anchors: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def add(self, kind: str, seq: int | None, detail: str) -> None:
        """Note a problem (at most MAX_PROBLEMS are kept)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(kind, seq, detail))

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"ok": self.ok, **asdict(self)}


def record_of(row: dict[str, Any]) -> Record:
    """The hashed part of a stored row."""
    return Record(
        int(row["seq"]),
        row["kind"],
        row["trace_id"],
        int(row["trace_seq"]),
        int(row["recorded_ns"]),
        row["run_id"],
        row["name"],
        row["body"],
    )


class _Traces:
    """Per-trace expectations while walking the store in `seq` order."""

    def __init__(self) -> None:
        self.heads: dict[str, tuple[int, bytes]] = {}

    def check(self, report: Report, row: dict[str, Any]) -> None:
        trace_seq, chain = self.heads.get(row["trace_id"], (0, GENESIS))
        if row["trace_seq"] != trace_seq + 1:
            kind = "deleted" if row["trace_seq"] > trace_seq + 1 else "inserted"
            report.add(
                kind, row["seq"], f"trace {row['trace_id']}: record {row['trace_seq']} follows {trace_seq}"
            )
        elif bytes(row["trace_chain"]) != link(chain, bytes(row["digest"])):
            report.add("relinked", row["seq"], f"trace {row['trace_id']}: link does not follow")
        self.heads[row["trace_id"]] = (int(row["trace_seq"]), bytes(row["trace_chain"]))


def _check_row(report: Report, row: dict[str, Any], previous_seq: int, previous_chain: bytes) -> None:
    if record_of(row).digest() != bytes(row["digest"]):
        report.add("edited", row["seq"], f"{row['kind']} record does not match its digest")
    if row["seq"] != previous_seq + 1:
        kind = "deleted" if row["seq"] > previous_seq + 1 else "inserted"
        report.add(kind, row["seq"], f"record {row['seq']} follows {previous_seq}")
    elif bytes(row["chain"]) != link(previous_chain, bytes(row["digest"])):
        report.add("relinked", row["seq"], "link to the previous record does not follow")


async def verify_store(pool: Pool, book: AnchorBook) -> Report:
    """Walk the whole store in order; then check the anchors."""
    report = Report(scope="store")
    traces = _Traces()
    previous_seq, previous_chain = 0, GENESIS
    anchored = {anchor.seq for anchor in book.all()}
    chains: dict[int, bytes] = {}
    store: bytes | None = None
    async for row in repository.all_records(pool):
        report.records += 1
        _check_row(report, row, previous_seq, previous_chain)
        traces.check(report, row)
        previous_seq, previous_chain = int(row["seq"]), bytes(row["chain"])
        if store is None:
            store = previous_chain
        if previous_seq in anchored:
            chains[previous_seq] = previous_chain
    _check_anchors(report, book, store, chains, previous_seq)
    return report


def _check_anchors(
    report: Report, book: AnchorBook, store: bytes | None, chains: dict[int, bytes], head: int
) -> None:
    anchors = book.read(store) if store is not None else []
    report.anchors = len(anchors)
    if store is not None and not anchors and book.all():
        report.add(
            "anchor_mismatch", None, "the anchors on file belong to another store (first record changed?)"
        )
    for anchor in anchors:
        if not book.signed(anchor):
            report.add("bad_signature", anchor.seq, "anchor signature does not verify")
        elif anchor.seq > head:
            report.add(
                "truncated", anchor.seq, f"the store ends at {head}, an anchor was signed at {anchor.seq}"
            )
        elif chains.get(anchor.seq, b"").hex() != anchor.chain:
            report.add("anchor_mismatch", anchor.seq, "the store differs from what was anchored")


async def verify_trace(pool: Pool, trace_id: str, scope: str) -> Report:
    """Check one run's records: digests, the run's chain, and each record's link in the store's chain."""
    report = Report(scope=scope)
    traces = _Traces()
    rows = await repository.trace_records(pool, trace_id, previous=True)
    for row in rows:
        report.records += 1
        previous = bytes(row["previous_chain"]) if row["previous_chain"] is not None else GENESIS
        _check_row(report, row, int(row["seq"]) - 1, previous if row["seq"] > 1 else GENESIS)
        if row["seq"] > 1 and row["previous_chain"] is None:
            report.add("deleted", row["seq"], f"record {int(row['seq']) - 1} before it is missing")
        traces.check(report, row)
    kinds = {row["kind"] for row in rows}
    for needed in _missing(kinds, ("run_start", "run_end")):
        report.add("deleted", None, f"the run has no {needed} record")
    return report


def _missing(kinds: set[str], needed: Iterable[str]) -> list[str]:
    return [kind for kind in needed if kind not in kinds]
