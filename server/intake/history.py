"""The intake's history as a hash chain per document: an altered, removed or inserted event shows.

Each event's digest is the SHA-256 of its canonical JSON (document, time, actor, kind, detail); its
chain is SHA-256(previous chain ‖ digest), the first event's previous chain being empty. Besides the
append-only trigger, this lets an auditor check a history copied out of the database, or one that a
database superuser could have rewritten (`verify`). Events from before migration 0027 carry none and
are not covered.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


def event_digest(
    document_id: str, at: datetime, actor_id: str | None, kind: str, detail: dict[str, Any]
) -> str:
    """The SHA-256 of one event's canonical form."""
    canonical = json.dumps(
        {
            "document": str(document_id),
            "at": at.astimezone(UTC).isoformat(),
            "actor": str(actor_id) if actor_id else None,
            "kind": kind,
            "detail": detail,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def link(previous: str | None, digest: str) -> str:
    """The chain after an event."""
    return hashlib.sha256(((previous or "") + digest).encode()).hexdigest()


def verify(document_id: str, rows: list[dict[str, Any]]) -> bool:
    """Whether the stored events still give their digests and chain.

    `rows`: oldest first, with `at`, `actor_id`, `kind`, `detail`, `digest` and `chain`.
    """
    previous: str | None = None
    for row in rows:
        if row["digest"] is None:  # stored before the chain existed
            if previous is not None:
                return False  # an unchained event after chained ones was slipped in
            continue
        digest = event_digest(document_id, row["at"], row["actor_id"], row["kind"], row["detail"])
        if digest != row["digest"] or link(previous, digest) != row["chain"]:
            return False
        previous = row["chain"]
    return True
