"""Verification: recompute every digest and both chains, and check the signed anchors.

Problems found are named by what they reveal: `edited` (a record's content no longer matches its
digest), `deleted` (a gap in a sequence), `inserted` or `relinked` (a link that does not follow from the
record before), `anchor_mismatch` / `truncated` / `bad_signature` (the store is not what was anchored),
`forged_cut` (a retention cut not signed by the anchor key) and `cut_mismatch` (the store does not begin
where the last signed retention cut says).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from server.audit import repository, retention_repository
from server.audit.anchors import Anchor, AnchorBook
from server.audit.chain import GENESIS, Record, link
from server.audit.cuts import Cut, load_cuts, store_of
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


def _check_row(report: Report, row: dict[str, Any], previous_seq: int, previous_chain: bytes | None) -> None:
    """Check a record's digest and its link; `previous_chain` None: the link cannot be known (reported)."""
    if record_of(row).digest() != bytes(row["digest"]):
        report.add("edited", row["seq"], f"{row['kind']} record does not match its digest")
    if row["seq"] != previous_seq + 1:
        kind = "deleted" if row["seq"] > previous_seq + 1 else "inserted"
        report.add(kind, row["seq"], f"record {row['seq']} follows {previous_seq}")
    elif previous_chain is not None and bytes(row["chain"]) != link(previous_chain, bytes(row["digest"])):
        report.add("relinked", row["seq"], "link to the previous record does not follow")


async def verify_store(pool: Pool, book: AnchorBook) -> Report:
    """Walk the whole store in order (from the retention cut it begins after, if any); then the anchors."""
    report = Report(scope="store")
    traces = _Traces()
    cuts = await _cuts(report, pool, book)
    first = await retention_repository.first_record(pool)
    store = store_of(await repository.first_chain(pool) if first == 1 else None, cuts)
    cuts = [cut for cut in cuts if cut.store == store]
    previous_seq, previous_chain = _start(report, cuts, first)
    floor = previous_seq
    every_anchor = await book.all()
    anchored = {anchor.seq for anchor in every_anchor}
    chains: dict[int, bytes] = {}
    async for row in repository.all_records(pool):
        report.records += 1
        _check_row(report, row, previous_seq, previous_chain)
        traces.check(report, row)
        previous_seq, previous_chain = int(row["seq"]), bytes(row["chain"])
        if previous_seq in anchored:
            chains[previous_seq] = previous_chain
    if cuts and floor == cuts[-1].upto:
        chains[floor] = bytes.fromhex(cuts[-1].chain)  # an anchor at the cut is checked against it
    _check_anchors(report, book, every_anchor, store, chains, previous_seq, floor)
    return report


async def _cuts(report: Report, pool: Pool, book: AnchorBook) -> list[Cut]:
    """The signed retention cuts; any unsigned, forged or edited one is a problem."""
    cuts, problems = await load_cuts(pool, book)
    for problem in problems:
        report.add("forged_cut", problem.upto, f"{problem.where}: {problem.detail}")
    return cuts


def _start(report: Report, cuts: list[Cut], first: int) -> tuple[int, bytes | None]:
    """Where the walk starts: before record 1, or after the signed cut that deleted records 1..first-1."""
    last = cuts[-1] if cuts else None
    if first <= 1:
        if last is not None:
            report.add(
                "cut_mismatch",
                last.upto,
                f"a signed retention cut says records up to {last.upto} were deleted, "
                f"but the store {'begins at record 1' if first else 'is empty'}",
            )
        return 0, GENESIS
    if last is None:
        report.add(
            "deleted",
            first,
            f"the store begins at record {first}: records up to {first - 1} were deleted "
            "without a signed retention cut",
        )
        return first - 1, None
    if last.upto != first - 1:
        what = "more records are missing" if first - 1 > last.upto else "records it deleted are still there"
        report.add(
            "cut_mismatch",
            first,
            f"the last signed retention cut deleted records up to {last.upto}, but the store begins at "
            f"record {first}: {what}",
        )
        return first - 1, None
    return last.upto, bytes.fromhex(last.chain)


def _check_anchors(
    report: Report,
    book: AnchorBook,
    every_anchor: list[Anchor],
    store: str | None,
    chains: dict[int, bytes],
    head: int,
    floor: int,
) -> None:
    anchors = [anchor for anchor in every_anchor if anchor.store == store] if store is not None else []
    report.anchors = len(anchors)
    if store is not None and not anchors and every_anchor:
        report.add(
            "anchor_mismatch", None, "the anchors stored belong to another store (first record changed?)"
        )
    for anchor in anchors:
        if not book.signed(anchor):
            report.add("bad_signature", anchor.seq, "anchor signature does not verify")
        elif anchor.seq > head:
            report.add(
                "truncated", anchor.seq, f"the store ends at {head}, an anchor was signed at {anchor.seq}"
            )
        elif anchor.seq < floor:
            continue  # it anchored records a signed cut deleted since
        elif chains.get(anchor.seq, b"").hex() != anchor.chain:
            report.add("anchor_mismatch", anchor.seq, "the store differs from what was anchored")


async def verify_trace(pool: Pool, trace_id: str, scope: str, book: AnchorBook | None = None) -> Report:
    """Check one run's records: digests, the run's chain, and each record's link in the store's chain.

    The record before the run's first one may be gone behind a retention cut: with `book`, a validly
    signed cut ending exactly there gives the chain value to link onto.
    """
    report = Report(scope=scope)
    traces = _Traces()
    rows = await repository.trace_records(pool, trace_id, previous=True)
    for row in rows:
        report.records += 1
        previous: bytes | None = GENESIS
        if row["seq"] > 1:
            previous = bytes(row["previous_chain"]) if row["previous_chain"] is not None else None
        if previous is None:
            previous = await _cut_chain(pool, book, int(row["seq"]) - 1)
            if previous is None:
                report.add("deleted", row["seq"], f"record {int(row['seq']) - 1} before it is missing")
        _check_row(report, row, int(row["seq"]) - 1, previous)
        traces.check(report, row)
    kinds = {row["kind"] for row in rows}
    for needed in _missing(kinds, ("run_start", "run_end")):
        report.add("deleted", None, f"the run has no {needed} record")
    return report


async def _cut_chain(pool: Pool, book: AnchorBook | None, upto: int) -> bytes | None:
    """The chain value at `upto` stated by a validly signed cut ending there, if any."""
    if book is None:
        return None
    cuts, _ = await load_cuts(pool, book)
    stated = [cut for cut in cuts if cut.upto == upto]
    return bytes.fromhex(stated[-1].chain) if stated else None


def _missing(kinds: set[str], needed: Iterable[str]) -> list[str]:
    return [kind for kind in needed if kind not in kinds]
