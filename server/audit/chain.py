"""The hash chain: canonical JSON, each record's digest, and the links of the two chains.

`digest = SHA-256(each of seq, kind, trace_id, trace_seq, recorded_ns, run_id, name, body as
"<length in bytes>:<UTF-8 bytes>", concatenated)` (a missing value is `-:`);
`chain = SHA-256(previous chain ‖ digest)` over the whole store (in `seq` order) and
`trace_chain = SHA-256(previous trace chain ‖ digest)` within one trace (one run), from 32 zero bytes.
An edit changes a digest, a deletion or an insertion breaks a link or a sequence number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

GENESIS = bytes(32)


def canonical(value: Any) -> str:
    """JSON with sorted keys, no spaces, UTF-8 characters kept: one text for one value.

    The stored text is what is hashed, never re-serialised, so any fixed encoding would do; orjson
    is the fast one.
    """
    options = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    return orjson.dumps(value, default=str, option=options).decode()


def _field(value: str | int | None) -> bytes:
    if value is None:
        return b"-:"
    data = str(value).encode()
    return str(len(data)).encode() + b":" + data


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
        """SHA-256 over every column but the hashes, each length-prefixed (no ambiguity, no escaping)."""
        fields = (
            self.seq,
            self.kind,
            self.trace_id,
            self.trace_seq,
            self.recorded_ns,
            self.run_id,
            self.name,
            self.body,
        )
        return hashlib.sha256(b"".join(_field(value) for value in fields)).digest()


def link(previous: bytes, digest: bytes) -> bytes:
    """The next value of a chain."""
    return hashlib.sha256(previous + digest).digest()
