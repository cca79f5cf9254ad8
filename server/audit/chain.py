"""The hash chain: canonical JSON, each record's digest, and the links of the two chains.

`digest = SHA-256(canonical [seq, kind, trace_id, trace_seq, recorded_ns, run_id, name, body])`;
`chain = SHA-256(previous chain ‖ digest)` over the whole store (in `seq` order) and
`trace_chain = SHA-256(previous trace chain ‖ digest)` within one trace (one run), from 32 zero bytes.
An edit changes a digest, a deletion or an insertion breaks a link or a sequence number.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = bytes(32)


def canonical(value: Any) -> str:
    """JSON with sorted keys, no spaces, UTF-8 characters kept: one text for one value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Record:
    """One row of `audit_records`, as hashed."""

    seq: int
    kind: str
    trace_id: str
    trace_seq: int
    recorded_ns: int
    run_id: str | None
    name: str | None
    body: str

    def digest(self) -> bytes:
        """SHA-256 over the canonical form of every column but the hashes."""
        fields = [
            self.seq,
            self.kind,
            self.trace_id,
            self.trace_seq,
            self.recorded_ns,
            self.run_id,
            self.name,
            self.body,
        ]
        return hashlib.sha256(canonical(fields).encode()).digest()


def link(previous: bytes, digest: bytes) -> bytes:
    """The next value of a chain."""
    return hashlib.sha256(previous + digest).digest()
