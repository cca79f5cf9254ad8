"""All SQL of the gateway: policy versions, service keys, quota reservations, metered usage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow

Conn = AsyncConnection[DictRow]


# --- policy versions -------------------------------------------------------------------------------


async def latest_policy(conn: Conn) -> DictRow | None:
    """The newest saved policy version, or None when only the file's default exists."""
    cursor = await conn.execute(
        "SELECT version, document, comment, diff, author_email, created_at "
        "FROM gateway_policy_versions ORDER BY version DESC LIMIT 1"
    )
    return await cursor.fetchone()


async def latest_policy_version(conn: Conn) -> int:
    """Number of the newest saved version (0: none)."""
    cursor = await conn.execute("SELECT coalesce(max(version), 0) AS version FROM gateway_policy_versions")
    row = await cursor.fetchone()
    return int(row["version"]) if row else 0


async def insert_policy(
    conn: Conn,
    *,
    version: int,
    document: str,
    comment: str,
    diff: str,
    author_id: str | None,
    author_email: str,
) -> DictRow | None:
    """Save a version; None when `version` was taken meanwhile (a concurrent edit)."""
    cursor = await conn.execute(
        """
        INSERT INTO gateway_policy_versions (version, document, comment, diff, author_id, author_email)
        VALUES (%s, %s, %s, %s, %s, %s)
        ON CONFLICT (version) DO NOTHING
        RETURNING version, document, comment, diff, author_email, created_at
        """,
        (version, document, comment, diff, author_id, author_email),
    )
    return await cursor.fetchone()


async def policy_history(conn: Conn, limit: int) -> list[DictRow]:
    """Saved versions, newest first."""
    cursor = await conn.execute(
        "SELECT version, comment, diff, author_email, created_at FROM gateway_policy_versions "
        "ORDER BY version DESC LIMIT %s",
        (limit,),
    )
    return await cursor.fetchall()


async def policy_version(conn: Conn, version: int) -> DictRow | None:
    """One saved version with its document."""
    cursor = await conn.execute(
        "SELECT version, document, comment, diff, author_email, created_at FROM gateway_policy_versions "
        "WHERE version = %s",
        (version,),
    )
    return await cursor.fetchone()


# --- service keys ----------------------------------------------------------------------------------

_KEY_COLUMNS = (
    "id, name, service, key_prefix, models, assistants, data_classes, tokens_per_day, created_by, "
    "created_at, revoked_by, revoked_at"
)


async def active_key(conn: Conn, key_hash: bytes) -> DictRow | None:
    """The unrevoked service key with this hash."""
    cursor = await conn.execute(
        f"SELECT {_KEY_COLUMNS} FROM gateway_service_keys WHERE key_hash = %s AND revoked_at IS NULL",
        (key_hash,),
    )
    return await cursor.fetchone()


async def insert_key(conn: Conn, values: dict[str, Any]) -> DictRow | None:
    """Create a key; None when the name is taken."""
    cursor = await conn.execute(
        f"""
        INSERT INTO gateway_service_keys
            (name, service, key_hash, key_prefix, models, assistants, data_classes, tokens_per_day,
             created_by)
        VALUES (%(name)s, %(service)s, %(key_hash)s, %(key_prefix)s, %(models)s, %(assistants)s,
                %(data_classes)s, %(tokens_per_day)s, %(created_by)s)
        ON CONFLICT (name) DO NOTHING
        RETURNING {_KEY_COLUMNS}
        """,
        values,
    )
    return await cursor.fetchone()


async def list_keys(conn: Conn) -> list[DictRow]:
    """Every key, newest first (hashes are never read back)."""
    cursor = await conn.execute(f"SELECT {_KEY_COLUMNS} FROM gateway_service_keys ORDER BY created_at DESC")
    return await cursor.fetchall()


async def revoke_key(conn: Conn, key_id: str, by: str) -> DictRow | None:
    """Revoke a key (idempotent); None when it does not exist."""
    cursor = await conn.execute(
        f"""
        UPDATE gateway_service_keys SET revoked_at = coalesce(revoked_at, now()),
            revoked_by = coalesce(revoked_by, %s)
        WHERE id = %s RETURNING {_KEY_COLUMNS}
        """,
        (by, key_id),
    )
    return await cursor.fetchone()


# --- quotas ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hold:
    """A reservation on one subject's daily quota."""

    subject: str
    limit: int | None
    tokens: int


class QuotaShortError(Exception):
    """A subject has not enough tokens left today."""

    def __init__(self, subject: str) -> None:
        super().__init__(subject)
        self.subject = subject


async def reserve(conn: Conn, holds: list[Hold], day: date) -> None:
    """Reserve every hold on `day` (Europe/Paris), or none.

    One statement takes all the holds: each row's conditional upsert is atomic, and rows are locked
    in subject order, so concurrent calls can neither overspend a quota nor deadlock. When one hold
    does not fit, the others are released at once: meanwhile they only over-reserve, never overspend.

    Raises:
        QuotaShortError: one subject has not enough left (nothing stays reserved then).
    """
    ordered = sorted(holds, key=lambda h: h.subject)
    values = ", ".join(["(%s, %s::bigint, %s::bigint)"] * len(ordered))
    params: list[object] = [value for hold in ordered for value in (hold.subject, hold.tokens, hold.limit)]
    cursor = await conn.execute(
        f"""
        WITH h (subject, tokens, lim) AS (VALUES {values})
        INSERT INTO gateway_quota_usage AS q (subject, day, reserved)
        SELECT subject, %s, tokens FROM h ORDER BY subject
        ON CONFLICT (subject, day) DO UPDATE SET reserved = q.reserved + EXCLUDED.reserved
        WHERE q.used + q.reserved + EXCLUDED.reserved
              <= (SELECT coalesce(h.lim, 9223372036854775807) FROM h WHERE h.subject = q.subject)
        RETURNING subject
        """,
        [*params, day],
    )
    taken = {row["subject"] for row in await cursor.fetchall()}
    if len(taken) == len(ordered):
        return
    await settle(conn, [hold for hold in ordered if hold.subject in taken], day, 0)
    raise QuotaShortError(next(hold.subject for hold in ordered if hold.subject not in taken))


async def settle(conn: Conn, holds: list[Hold], day: date, used: int) -> None:
    """Release the reservations and count what the call really used."""
    for hold in sorted(holds, key=lambda h: h.subject):
        await release(conn, hold.subject, day, hold.tokens, used)


async def release(conn: Conn, subject: str, day: date, held: int, used: int) -> None:
    """Release `held` reserved tokens of `subject`'s quota on `day` and count `used` ones."""
    await conn.execute(
        """
        UPDATE gateway_quota_usage SET reserved = greatest(reserved - %(held)s, 0), used = used + %(used)s
        WHERE subject = %(subject)s AND day = %(day)s
        """,
        {"held": held, "used": used, "subject": subject, "day": day},
    )


# --- metering --------------------------------------------------------------------------------------

_USAGE_FIELDS = (
    "operation, caller_kind, caller_id, caller_name, service, job_category, assistant, requested_model, "
    "used_model, data_class, findings, rule, reason, status_code, error_code, stream, input_tokens, "
    "output_tokens, latency_ms, cost_eur, policy_version"
)


async def insert_usages(conn: Conn, records: list[dict[str, Any]]) -> None:
    """Meter requests (one statement, pipelined when the connection is)."""
    names = [name.strip() for name in _USAGE_FIELDS.split(",")]
    statement = f"INSERT INTO gateway_usage ({_USAGE_FIELDS}) VALUES ({', '.join(f'%({n})s' for n in names)})"
    async with conn.cursor() as cursor:
        await cursor.executemany(statement, records)


_GROUPS = {
    "user": "caller_name",
    "service": "service",
    "job_category": "job_category",
    "model": "coalesce(used_model, requested_model)",
    "day": "to_char((at AT TIME ZONE 'Europe/Paris')::date, 'YYYY-MM-DD')",
}


_ORDER = {True: "1", False: "sum(input_tokens + output_tokens) DESC, count(*) DESC, 1"}


async def usage_by(conn: Conn, group: str, days: int) -> list[DictRow]:
    """Usage of the last `days` days, aggregated by `user`, `service`, `job_category`, `model` or `day`."""
    key = _GROUPS[group]
    cursor = await conn.execute(
        f"""
        SELECT {key} AS key, count(*) AS requests,
               count(*) FILTER (WHERE status_code >= 400) AS refused_or_failed,
               coalesce(sum(input_tokens), 0) AS input_tokens,
               coalesce(sum(output_tokens), 0) AS output_tokens,
               coalesce(sum(cost_eur), 0)::float8 AS cost_eur,
               coalesce(avg(latency_ms) FILTER (WHERE status_code < 400), 0)::float8 AS mean_latency_ms
        FROM gateway_usage
        WHERE at >= now() - make_interval(days => %s)
        GROUP BY 1 ORDER BY {_ORDER[group == "day"]}
        """,
        (days,),
    )
    return await cursor.fetchall()


USAGE_GROUPS = tuple(_GROUPS)


async def known_people(conn: Conn) -> list[str]:
    """Display names of the users Ariane has seen (the detectors know them as names)."""
    cursor = await conn.execute("SELECT display_name FROM users")
    return [str(row["display_name"]) for row in await cursor.fetchall()]


# --- idempotent calls ------------------------------------------------------------------------------


async def claim_idempotency(
    conn: Conn, caller: str, key: str, digest: str, claim_seconds: float
) -> DictRow | None:
    """Claim `key` for a first call (None), or the row already there (an answer, or a live claim).

    A claim whose holder died (its time ran out without an answer) is taken over: None.
    """
    cursor = await conn.execute(
        "INSERT INTO gateway_idempotency (caller, key, request_sha256, claimed_until) "
        "VALUES (%s, %s, %s, now() + make_interval(secs => %s)) "
        "ON CONFLICT (caller, key) DO UPDATE SET claimed_until = EXCLUDED.claimed_until "
        "WHERE gateway_idempotency.status_code IS NULL "
        "AND gateway_idempotency.request_sha256 = EXCLUDED.request_sha256 "
        "AND gateway_idempotency.claimed_until < now() "
        "RETURNING caller",
        (caller, key, digest, claim_seconds),
    )
    if await cursor.fetchone() is not None:
        return None
    cursor = await conn.execute(
        "SELECT request_sha256, status_code, content, content_type, "
        "greatest(extract(epoch FROM claimed_until - now()), 0) AS seconds_left "
        "FROM gateway_idempotency WHERE caller = %s AND key = %s",
        (caller, key),
    )
    return await cursor.fetchone()


async def store_idempotent_answer(
    conn: Conn, caller: str, key: str, status_code: int, content: bytes, content_type: str
) -> None:
    """Keep the first call's answer for the repeats."""
    await conn.execute(
        "UPDATE gateway_idempotency SET status_code = %s, content = %s, content_type = %s, "
        "claimed_until = NULL WHERE caller = %s AND key = %s",
        (status_code, content, content_type, caller, key),
    )


async def release_idempotency(conn: Conn, caller: str, key: str) -> None:
    """The first call failed without an answer worth keeping: a repeat may try again at once."""
    await conn.execute(
        "DELETE FROM gateway_idempotency WHERE caller = %s AND key = %s AND status_code IS NULL",
        (caller, key),
    )


async def prune_idempotency(conn: Conn, keep_seconds: float) -> int:
    """Forget keys older than `keep_seconds`; how many."""
    cursor = await conn.execute(
        "DELETE FROM gateway_idempotency WHERE created_at < now() - make_interval(secs => %s)",
        (keep_seconds,),
    )
    return cursor.rowcount


# --- embedding cache -------------------------------------------------------------------------------


async def cached_vectors(conn: Conn, model: str, digests: list[bytes]) -> list[DictRow]:
    """The cached vectors (float32 bytes) and token counts of these text digests."""
    cursor = await conn.execute(
        "SELECT digest, vector, tokens FROM embedding_cache WHERE model = %s AND digest = ANY(%s)",
        (model, digests),
    )
    return await cursor.fetchall()


async def cache_vectors(conn: Conn, model: str, rows: list[tuple[bytes, bytes, int]]) -> None:
    """Store (digest, vector bytes, tokens) rows; a digest already there is kept as it is."""
    digests, vectors, tokens = zip(*rows, strict=True) if rows else ((), (), ())
    await conn.execute(
        "INSERT INTO embedding_cache (model, digest, vector, tokens) "
        "SELECT %s, * FROM unnest(%s::bytea[], %s::bytea[], %s::integer[]) "
        "ON CONFLICT (model, digest) DO NOTHING",
        (model, list(digests), list(vectors), list(tokens)),
    )


async def expire_vectors(conn: Conn, days: int) -> int:
    """Delete cached vectors older than `days`; how many went."""
    cursor = await conn.execute(
        "DELETE FROM embedding_cache WHERE created_at < now() - make_interval(days => %s)", (days,)
    )
    return cursor.rowcount
