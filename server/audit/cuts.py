"""Retention cuts: the signed statement that the store's records up to `upto` were deleted on purpose.

A cut is appended to the store as a record of kind `retention_cut` (chained like any other) and kept
in `audit_cuts` in the same transaction (a later purge deletes the earlier cut records; the kept copies
stay, whichever replica purged). It names the store, the last deleted record (`upto`) and the chain
value there, how many records and traces went, and the cutoff; it is signed with the anchor key, which
the database never holds. Verification accepts a store that begins at record `upto + 1` only when a
validly signed cut says exactly that and the first remaining record links onto the cut's chain value.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow

from server.audit import evidence_repository, retention_repository
from server.audit.anchors import AnchorBook
from server.audit.chain import canonical
from tools.database import Pool

KIND = retention_repository.CUT_KIND


def cut_name(upto: int) -> str:
    """The record's `name`: the append-only trigger looks the cut up by it before letting a purge delete."""
    return f"upto {upto}"


@dataclass(frozen=True)
class Cut:
    """Records 1..`upto` of store `store` are gone; `chain` was the chain value of record `upto`."""

    store: str
    upto: int
    chain: str
    records: int
    traces: int
    runs: int
    cutoff: str
    at: float
    signature: str = ""

    def payload(self) -> bytes:
        """What is signed: every field but the signature."""
        fields = asdict(self)
        del fields["signature"]
        return canonical(fields).encode()

    def body(self) -> str:
        """The record's body (canonical JSON, signature included)."""
        return canonical(asdict(self))

    @classmethod
    def parse(cls, text: str) -> Cut | None:
        """A cut from a record body or a line of the cuts file; None when it is not one."""
        try:
            data: dict[str, Any] = json.loads(text)
            return cls(**data)
        except (ValueError, TypeError):
            return None


def signed_cut(book: AnchorBook, unsigned: Cut) -> Cut:
    """The cut with the anchor key's signature."""
    fields = asdict(unsigned) | {"signature": book.sign(unsigned.payload())}
    return Cut(**fields)


async def keep(conn: AsyncConnection[DictRow], cut: Cut) -> None:
    """Keep the cut in `audit_cuts`, in the purge's transaction: never a cut the store does not hold."""
    await evidence_repository.add_cut(conn, cut.store, cut.upto, cut.body(), cut.signature)


@dataclass(frozen=True)
class CutProblem:
    """A cut that cannot be trusted: where it was found and why."""

    where: str
    upto: int | None
    detail: str


def trusted_cuts(
    book: AnchorBook, stored: list[tuple[int, str]], kept: list[tuple[int, str]]
) -> tuple[list[Cut], list[CutProblem]]:
    """The validly signed cuts, oldest first (the store's `(seq, body)` records, the kept `(id, body)`).

    A cut that does not parse or whose signature is not the anchor key's is a problem, wherever it is:
    either someone forged it, or someone edited a real one.
    """
    found: dict[tuple[str, int, str], Cut] = {}
    problems: list[CutProblem] = []
    candidates = [(f"record {seq}", Cut.parse(body)) for seq, body in stored]
    candidates += [(f"kept cut {number}", Cut.parse(body)) for number, body in kept]
    for where, cut in candidates:
        if cut is None:
            problems.append(CutProblem(where, None, "retention cut that cannot be read"))
        elif not book.verifies(cut.payload(), cut.signature):
            problems.append(
                CutProblem(where, cut.upto, f"retention cut up to {cut.upto} is not signed by the anchor key")
            )
        else:
            found[(cut.store, cut.upto, cut.chain)] = cut
    return sorted(found.values(), key=lambda cut: cut.upto), problems


async def load_cuts(pool: Pool, book: AnchorBook) -> tuple[list[Cut], list[CutProblem]]:
    """The validly signed cuts of the store and of `audit_cuts`, and the untrustworthy ones."""
    stored = await retention_repository.stored_cuts(pool)
    async with pool.connection() as conn:
        kept = await evidence_repository.cuts(conn)
    return trusted_cuts(book, stored, kept)


def store_of(first_chain: bytes | None, cuts: list[Cut]) -> str | None:
    """The store's identity: the chain value of record 1 while it exists, then the one signed cuts carry."""
    if first_chain is not None:
        return first_chain.hex()
    return cuts[-1].store if cuts else None
