"""The SQL of the audit's signed evidence: anchors and retention cuts, shared by every replica."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow


async def add_anchors(conn: AsyncConnection[DictRow], anchors: list[dict[str, Any]]) -> int:
    """Store signed anchors (`store`, `seq`, `chain`, `at`, `signature`); one already stored is skipped."""
    added = 0
    for anchor in anchors:
        cursor = await conn.execute(
            "INSERT INTO audit_anchors (store, seq, chain, at, signature) "
            "VALUES (%(store)s, %(seq)s, %(chain)s, %(at)s, %(signature)s) "
            "ON CONFLICT (signature) DO NOTHING",
            anchor,
        )
        added += cursor.rowcount
    return added


async def anchors(conn: AsyncConnection[DictRow], store: str | None = None) -> list[dict[str, Any]]:
    """The anchors stored (of one store when given), in the order they were written."""
    query = "SELECT store, seq, chain, at, signature FROM audit_anchors"
    if store is not None:
        query += " WHERE store = %s"
    cursor = await conn.execute(query + " ORDER BY id", (store,) if store is not None else ())
    return await cursor.fetchall()


async def add_cut(conn: AsyncConnection[DictRow], store: str, upto: int, body: str, signature: str) -> int:
    """Keep a signed retention cut (its canonical body); one already kept is skipped."""
    cursor = await conn.execute(
        "INSERT INTO audit_cuts (store, upto, body, signature) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (signature) DO NOTHING",
        (store, upto, body, signature),
    )
    return cursor.rowcount


async def cuts(conn: AsyncConnection[DictRow]) -> list[tuple[int, str]]:
    """The retention cuts kept, as (id, body), oldest first."""
    cursor = await conn.execute("SELECT id, body FROM audit_cuts ORDER BY id")
    return [(int(row["id"]), row["body"]) for row in await cursor.fetchall()]


async def anchors_covering(conn: AsyncConnection[DictRow], first: int, last: int) -> list[dict[str, Any]]:
    """The anchors from record `first` up to the first one at or after record `last`, by `seq`.

    What proves a run's records (`first`..`last`): the anchors signed while it was written and the
    first one signed after it; not the store's whole history.
    """
    cursor = await conn.execute(
        "SELECT store, seq, chain, at, signature FROM audit_anchors WHERE seq >= %(first)s "
        "AND seq <= coalesce((SELECT min(seq) FROM audit_anchors WHERE seq >= %(last)s), %(last)s) "
        "ORDER BY seq, id",
        {"first": first, "last": last},
    )
    return await cursor.fetchall()
