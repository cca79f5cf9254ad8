"""Anchors and retention cuts of earlier releases, written to files beside the key, taken into the database.

Before the anchors and cuts were shared by replicas they went to `anchors.jsonl` and `cuts.jsonl` in
the anchor folder. At start the entries of those files that belong to this database's store are
stored (once: an entry already stored is skipped), so that verification keeps checking them. The
files are left as they are: they are evidence too.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import psycopg

from server.audit import evidence_repository as sql
from server.audit import repository, retention_repository
from server.audit.anchors import Anchor
from server.audit.cuts import Cut
from tools.database import Pool

logger = logging.getLogger(__name__)

ANCHORS_FILE = "anchors.jsonl"
CUTS_FILE = "cuts.jsonl"


def _entries(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a file's lines (a line that is not one is left out)."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict):
            entries.append(data)
    return entries


def _anchor(entry: dict[str, Any]) -> Anchor | None:
    try:
        return Anchor(**entry)
    except TypeError:
        return None


async def _store(pool: Pool) -> str | None:
    """This database's store identity: record 1's chain value, else the one its last cut record carries."""
    first = await repository.first_chain(pool)
    if first is not None:
        return first.hex()
    stored = await retention_repository.stored_cuts(pool)
    cut = Cut.parse(stored[-1][1]) if stored else None
    return cut.store if cut else None


async def import_legacy_evidence(pool: Pool, folder: Path) -> tuple[int, int]:
    """Store the file anchors and cuts of this store not stored yet; (anchors, cuts) added."""
    anchors_file, cuts_file = folder / ANCHORS_FILE, folder / CUTS_FILE
    if not anchors_file.exists() and not cuts_file.exists():
        return 0, 0
    try:
        store = await _store(pool)
        if store is None:
            return 0, 0
        anchors = [
            anchor for anchor in map(_anchor, _entries(anchors_file)) if anchor and anchor.store == store
        ]
        cuts = [Cut.parse(json.dumps(entry)) for entry in _entries(cuts_file)]
        async with pool.connection() as conn, conn.transaction():
            added = await sql.add_anchors(conn, [anchor.__dict__ for anchor in anchors])
            kept = 0
            for cut in cuts:
                if cut is not None and cut.store == store:
                    kept += await sql.add_cut(conn, cut.store, cut.upto, cut.body(), cut.signature)
    except (OSError, psycopg.Error) as exc:
        logger.warning("audit: anchors and cuts files of %s not taken in: %s", folder, exc)
        return 0, 0
    if added or kept:
        logger.info("audit: %d anchors and %d retention cuts taken in from %s", added, kept, folder)
    return added, kept
