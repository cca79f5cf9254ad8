"""Row ids as they come from URLs: checked before they reach a `uuid` column."""

from __future__ import annotations

import uuid


def is_uuid(value: str) -> bool:
    """True when `value` parses as a UUID (else PostgreSQL would refuse the query with an error)."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
