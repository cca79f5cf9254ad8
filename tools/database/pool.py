"""The async connection pool, with pgvector's types registered on every connection."""

from __future__ import annotations

import psycopg
from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from tools.database.embedded import DatabaseUnavailableError

Pool = AsyncConnectionPool[AsyncConnection[DictRow]]
"""The pool type every repository receives: connections yield rows as dicts."""


async def _configure(conn: AsyncConnection[DictRow]) -> None:
    # The vector type only exists once the migration created the extension; before that, skip.
    from pgvector.psycopg import register_vector_async

    try:
        await register_vector_async(conn)
    except psycopg.ProgrammingError:
        await conn.rollback()


async def open_pool(url: str, *, max_size: int = 10, timeout: float = 10.0) -> Pool:
    """Open a pool on `url` and wait until a first connection works.

    Raises:
        DatabaseUnavailableError: when no connection can be made within `timeout` seconds.
    """
    pool: Pool = AsyncConnectionPool(
        url,
        connection_class=AsyncConnection[DictRow],
        min_size=1,
        max_size=max_size,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        configure=_configure,
        open=False,
    )
    try:
        await pool.open(wait=True, timeout=timeout)
    except (PoolTimeout, psycopg.OperationalError) as exc:
        await pool.close()
        raise DatabaseUnavailableError(f"PostgreSQL cannot be reached: {_reason(exc)}") from exc
    return pool


def _reason(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
