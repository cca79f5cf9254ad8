"""`/healthz` (the process answers) and `/readyz` (the database is reachable and migrated)."""

from __future__ import annotations

import psycopg
from fastapi import APIRouter
from psycopg_pool import PoolTimeout

from server.deps import DbPool
from server.errors import ServiceUnavailableError
from server.migrations import head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Alive."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(pool: DbPool) -> dict[str, str]:
    """Ready to serve: the database answers and is at the newest migration.

    Raises:
        ServiceUnavailableError: `database_unavailable` or `database_not_migrated` (503).
    """
    try:
        async with pool.connection(timeout=5.0) as conn:
            cursor = await conn.execute("SELECT version_num FROM alembic_version")
            row = await cursor.fetchone()
    except (PoolTimeout, psycopg.OperationalError) as exc:
        raise ServiceUnavailableError(
            "La base de données est injoignable.", code="database_unavailable"
        ) from exc
    except psycopg.errors.UndefinedTable as exc:
        raise ServiceUnavailableError(
            "La base de données n'est pas initialisée : lancez `ariane db migrate`.",
            code="database_not_migrated",
        ) from exc
    revision = row["version_num"] if row else None
    if revision != head_revision():
        raise ServiceUnavailableError(
            f"La base de données est à la révision {revision}, le code attend {head_revision()} : "
            "lancez `ariane db migrate`.",
            code="database_not_migrated",
        )
    return {"status": "ready", "database": revision}
