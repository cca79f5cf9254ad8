"""`/healthz` (the process answers) and `/readyz` (the database is reachable and migrated)."""

from __future__ import annotations

import psycopg
from fastapi import APIRouter
from psycopg_pool import PoolTimeout

from server.deps import DbPool
from server.errors import ServiceUnavailableError
from server.messages import MESSAGES
from server.migrations import LATER_REVISIONS, compatibility, head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Alive."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(pool: DbPool) -> dict[str, str]:
    """Ready to serve: the database answers and is at a revision this code runs on.

    That is its own newest revision, or a later one reached by additive revisions only (during a
    rolling update, replicas of the previous release keep serving).

    Raises:
        ServiceUnavailableError: `database_unavailable`, `database_not_migrated` or `database_ahead` (503).
    """
    later: list[bool] | None = None
    try:
        async with pool.connection(timeout=5.0) as conn:
            cursor = await conn.execute("SELECT version_num FROM alembic_version")
            row = await cursor.fetchone()
            if row is not None and row["version_num"] > head_revision():
                try:
                    rows = await (await conn.execute(LATER_REVISIONS, (head_revision(),))).fetchall()
                    later = [bool(r["additive"]) for r in rows]
                except psycopg.errors.UndefinedTable:
                    later = None
    except (PoolTimeout, psycopg.OperationalError) as exc:
        raise ServiceUnavailableError(
            MESSAGES("health.database_unavailable"), code="database_unavailable"
        ) from exc
    except psycopg.errors.UndefinedTable as exc:
        raise ServiceUnavailableError(
            MESSAGES("health.database_not_initialised"),
            code="database_not_migrated",
        ) from exc
    revision = row["version_num"] if row else None
    standing = compatibility(revision, later)
    if standing == "behind":
        raise ServiceUnavailableError(
            MESSAGES("health.database_behind", revision=revision, head=head_revision()),
            code="database_not_migrated",
        )
    if standing == "ahead":
        raise ServiceUnavailableError(
            MESSAGES("health.database_ahead", revision=revision, head=head_revision()),
            code="database_ahead",
        )
    return {"status": "ready", "database": str(revision), "code": head_revision(), "standing": standing}
