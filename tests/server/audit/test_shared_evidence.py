"""Anchors and retention cuts live in the database: any replica verifies what another one signed.

Two « replicas » here are two writers with pools, folders and books of their own on one database,
signing with the one key of the settings, as `ariane serve` processes do.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server.audit.anchors import AnchorBook, AnchorKey
from server.audit.legacy_evidence import import_legacy_evidence
from server.audit.retention import purge
from server.audit.verify import verify_store
from server.audit.writer import AuditWriter, Pending
from tools.database import Pool, open_pool

pytestmark = pytest.mark.anyio

KEY = Ed25519PrivateKey.generate().private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)


class Replica:
    """A writer and a book of its own, on the shared database."""

    def __init__(self, pool: Pool, folder: Path, key: bytes | None = KEY) -> None:
        self.book = AnchorBook(pool, AnchorKey(folder, key))
        self.writer = AuditWriter(pool, self.book)
        self.pool = pool

    async def run(self, trace_id: str, run_id: str) -> None:
        """A whole run's records, written and anchored."""
        for kind in ("run_start", "span", "run_end"):
            self.writer.submit(Pending(kind, trace_id, {"étape": kind}, run_id=run_id, name=kind))
        await self.writer.flush()
        await self.writer.anchor()


@pytest.fixture
async def replicas(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[Replica, Replica]]:
    pools = [await open_pool(database_url, max_size=2) for _ in range(2)]
    first, second = Replica(pools[0], tmp_path / "a"), Replica(pools[1], tmp_path / "b")
    first.writer.start()
    second.writer.start()
    try:
        yield first, second
    finally:
        await first.writer.close()
        await second.writer.close()
        for pool in pools:
            await pool.close()


async def test_a_cut_and_anchors_made_by_one_replica_verify_on_another(
    replicas: tuple[Replica, Replica], database_url: str, tmp_path: Path
) -> None:
    first, second = replicas
    await first.run("0" * 31 + "1", "00000000-0000-0000-0000-000000000001")
    cutoff = datetime.now(UTC)
    await second.run("0" * 31 + "2", "00000000-0000-0000-0000-000000000002")

    cut = (await purge(first.pool, first.book, cutoff)).cut
    report = await verify_store(second.pool, second.book)
    stranger = await verify_store(second.pool, AnchorBook(second.pool, AnchorKey(tmp_path / "c", None)))

    assert cut is not None
    assert (cut.upto, cut.records, cut.runs) == (3, 3, 1)
    assert (report.ok, report.problems) == (True, [])
    assert report.anchors == 2  # the first replica's, at the cut, checked against it; the second one's
    assert len(await second.book.all()) == 2
    # Another key: the cut is not trusted, so the records it removed count as deleted.
    assert {problem.kind for problem in stranger.problems} == {"forged_cut", "deleted"}
    with psycopg.connect(database_url, autocommit=True) as conn:
        kept = conn.execute("SELECT upto, signature FROM audit_cuts").fetchall()
        assert kept == [(cut.upto, cut.signature)]
        for statement in ("UPDATE audit_anchors SET seq = seq + 1", "DELETE FROM audit_cuts"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(statement)


async def test_anchors_files_of_an_earlier_release_are_taken_in_once(
    replicas: tuple[Replica, Replica], database_url: str, tmp_path: Path
) -> None:
    first, _ = replicas
    await first.run("0" * 31 + "1", "00000000-0000-0000-0000-000000000001")
    anchor = (await first.book.all())[0]
    folder = tmp_path / "earlier"
    folder.mkdir()
    other_store = anchor.__dict__ | {"store": "ab" * 32, "signature": "cd" * 64}
    lines = [json.dumps(anchor.__dict__), json.dumps(other_store), "pas du JSON"]
    (folder / "anchors.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # as if written before this release
        conn.execute("DELETE FROM audit_anchors")

    taken = await import_legacy_evidence(first.pool, folder)
    again = await import_legacy_evidence(first.pool, folder)

    assert (taken, again) == ((1, 0), (0, 0))  # another store's anchor is not this database's evidence
    assert await first.book.all() == [anchor]
    report = await verify_store(first.pool, first.book)
    assert (report.ok, report.anchors) == (True, 1)
