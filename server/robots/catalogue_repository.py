"""SQL of the robot catalogue (`robots`, owned by the server's migrations) and of job reads."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from tools.database import Pool
from tools.robots.catalogue import RobotSpec


def _spec(row: dict[str, Any]) -> RobotSpec:
    return RobotSpec.model_validate({**row["spec"], "version": row["version"]})


async def catalogue_ready(pool: Pool) -> bool:
    """False on a database not migrated yet (the server still starts, and `/readyz` says why)."""
    async with pool.connection() as conn:
        row = await (await conn.execute("SELECT to_regclass('robots') IS NOT NULL AS present")).fetchone()
    return bool(row and row["present"])


async def seed_catalogue(pool: Pool, specs: list[RobotSpec]) -> int:
    """Insert the robots the database does not have yet; edited ones are kept as edited."""
    added = 0
    async with pool.connection() as conn:
        for spec in specs:
            cursor = await conn.execute(
                "INSERT INTO robots (id, spec) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING",
                (spec.id, Jsonb(spec.model_dump(mode="json", exclude={"version"}))),
            )
            added += cursor.rowcount
    return added


async def list_robots(pool: Pool) -> list[RobotSpec]:
    """Every robot of the catalogue, by id."""
    async with pool.connection() as conn:
        cursor = await conn.execute("SELECT spec, version FROM robots ORDER BY id")
        return [_spec(row) for row in await cursor.fetchall()]


async def get_robot(pool: Pool, robot_id: str) -> RobotSpec | None:
    """One robot, or None."""
    async with pool.connection() as conn:
        cursor = await conn.execute("SELECT spec, version FROM robots WHERE id = %s", (robot_id,))
        row = await cursor.fetchone()
    return _spec(row) if row else None


JOB_COLUMNS = (
    "j.id::text, j.approval_id::text, j.robot_id, j.runner, j.status, j.inputs, j.digest, j.external_id, "
    "j.outputs, j.artifacts, j.log, j.error, j.created_at, j.started_at, j.finished_at, "
    "a.requester_id::text, a.approver_id::text, a.run_id::text, a.thread_id::text"
)


async def get_job(pool: Pool, job_id: str) -> dict[str, Any] | None:
    """A job with the ids of who asked for it and who approved it, or None."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {JOB_COLUMNS} FROM jobs j JOIN approvals a ON a.id = j.approval_id WHERE j.id = %s",
            (job_id,),
        )
        return await cursor.fetchone()
