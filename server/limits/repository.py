"""SQL of sliding-window rate limits (`rate_limit_calls`)."""

from __future__ import annotations

from tools.database import Pool


async def take(pool: Pool, bucket: str, limit: int, window_seconds: float, now: float) -> bool:
    """Count one call in `bucket` at `now` (epoch seconds) unless `limit` were made in the window.

    Serialised per bucket by a transaction-scoped advisory lock, so that two replicas counting at
    once cannot both take the last call; calls older than the window are evicted on the way.
    """
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('rate:' || %s, 0))", (bucket,))
        await conn.execute(
            "DELETE FROM rate_limit_calls WHERE bucket = %s AND at <= to_timestamp(%s)",
            (bucket, now - window_seconds),
        )
        row = await (
            await conn.execute("SELECT count(*) AS calls FROM rate_limit_calls WHERE bucket = %s", (bucket,))
        ).fetchone()
        if row is not None and int(row["calls"]) >= limit:
            return False
        await conn.execute(
            "INSERT INTO rate_limit_calls (bucket, at) VALUES (%s, to_timestamp(%s))", (bucket, now)
        )
    return True


async def prune(pool: Pool, older_than_seconds: float) -> int:
    """Forget calls older than any window (buckets nobody uses any more); how many."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "DELETE FROM rate_limit_calls WHERE at < now() - make_interval(secs => %s)", (older_than_seconds,)
        )
        return cursor.rowcount
