"""SQL of the shadow-AI reports and of the editable catalogue of AI services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from tools.database import Pool

_SUMMARY = """
    r.id::text, r.name, r.source_format, r.uploaded_by, r.sample, r.catalogue_version, r.lines,
    r.ai_lines, r.malformed, r.malformed_examples, r.first_at, r.last_at, r.created_at,
    (SELECT count(*) FROM shadow_people p WHERE p.report_id = r.id) AS people,
    (SELECT count(*) FROM shadow_people p WHERE p.report_id = r.id AND p.service = '') AS unknown_people
"""


async def latest_catalogue(pool: Pool) -> DictRow | None:
    """The newest saved catalogue version, or None (the shipped file is in force)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT version, document, author, comment, created_at FROM shadow_catalogue_versions "
            "ORDER BY version DESC LIMIT 1"
        )
        return await cursor.fetchone()


async def save_catalogue(pool: Pool, document: str, author: str, comment: str) -> int:
    """Store a new catalogue version; its number."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "INSERT INTO shadow_catalogue_versions (version, document, author, comment) "
            "SELECT coalesce(max(version), 0) + 1, %s, %s, %s FROM shadow_catalogue_versions "
            "RETURNING version",
            (document, author, comment),
        )
        row = await cursor.fetchone()
    assert row is not None
    return int(row["version"])


async def store_report(
    pool: Pool,
    report: dict[str, Any],
    people: Iterable[tuple[int, str, str, str, str]],
    counts: Iterable[tuple[int, date, str, int, int]],
) -> str:
    """Write a report, its people and its counts in one transaction; the report's id."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(
            """
            INSERT INTO shadow_reports (name, source_format, uploaded_by, sample, catalogue_version,
                lines, ai_lines, malformed, malformed_examples, first_at, last_at)
            VALUES (%(name)s, %(source_format)s, %(uploaded_by)s, %(sample)s, %(catalogue_version)s,
                %(lines)s, %(ai_lines)s, %(malformed)s, %(examples)s, %(first_at)s, %(last_at)s)
            RETURNING id::text
            """,
            {**report, "examples": Jsonb(report["examples"])},
        )
        row = await cursor.fetchone()
        assert row is not None
        report_id = str(row["id"])
        async with conn.cursor() as copy_cursor:
            async with copy_cursor.copy(
                "COPY shadow_people (report_id, person, login, display_name, service, job_category) "
                "FROM STDIN"
            ) as copy:
                for person in people:
                    await copy.write_row((report_id, *person))
            async with copy_cursor.copy(
                "COPY shadow_counts (report_id, person, day, ai_service, requests, bytes) FROM STDIN"
            ) as copy:
                for count in counts:
                    await copy.write_row((report_id, *count))
    return report_id


async def list_reports(pool: Pool) -> list[DictRow]:
    """Every report, newest first."""
    async with pool.connection() as conn:
        cursor = await conn.execute(f"SELECT {_SUMMARY} FROM shadow_reports r ORDER BY r.created_at DESC")
        return await cursor.fetchall()


async def get_report(pool: Pool, report_id: str) -> DictRow | None:
    """One report's summary."""
    async with pool.connection() as conn:
        cursor = await conn.execute(f"SELECT {_SUMMARY} FROM shadow_reports r WHERE r.id = %s", (report_id,))
        return await cursor.fetchone()


async def delete_report(pool: Pool, report_id: str) -> bool:
    """Remove a report (its people and counts go with it)."""
    async with pool.connection() as conn:
        cursor = await conn.execute("DELETE FROM shadow_reports WHERE id = %s", (report_id,))
        return cursor.rowcount > 0


_BREAKDOWNS = {
    "services": ("c.ai_service", "c.ai_service"),
    "by_service": ("p.service", "p.service"),
    "by_job_category": ("p.job_category", "p.job_category"),
    "by_category_and_service": ("p.job_category, c.ai_service", "p.job_category, c.ai_service"),
    "weekly": ("date_trunc('week', c.day)::date AS week, c.ai_service", "week, c.ai_service"),
}


async def breakdown(pool: Pool, report_id: str, name: str) -> list[DictRow]:
    """Requests, distinct people and bytes of a report, grouped as `name` says."""
    columns, group = _BREAKDOWNS[name]
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"""
            SELECT {columns}, sum(c.requests)::bigint AS requests,
                   count(DISTINCT c.person) AS people, sum(c.bytes)::bigint AS bytes
            FROM shadow_counts c JOIN shadow_people p USING (report_id, person)
            WHERE c.report_id = %s GROUP BY {group} ORDER BY requests DESC
            """,
            (report_id,),
        )
        return await cursor.fetchall()


async def people(pool: Pool, report_id: str) -> list[DictRow]:
    """Each person of a report with their requests and services (the security role's view only)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            """
            SELECT p.person, p.login, p.display_name, p.service, p.job_category,
                   sum(c.requests)::bigint AS requests, sum(c.bytes)::bigint AS bytes,
                   array_agg(DISTINCT c.ai_service ORDER BY c.ai_service) AS ai_services
            FROM shadow_people p JOIN shadow_counts c USING (report_id, person)
            WHERE p.report_id = %s
            GROUP BY p.person, p.login, p.display_name, p.service, p.job_category
            ORDER BY requests DESC, p.person
            """,
            (report_id,),
        )
        return await cursor.fetchall()


async def weekly_rows(pool: Pool, report_id: str, with_people: bool) -> list[DictRow]:
    """Rows of the export: per week, AI service, service and job category (and person, if asked)."""
    person = ", p.person, p.login, p.display_name" if with_people else ""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"""
            SELECT date_trunc('week', c.day)::date AS week, c.ai_service, p.service, p.job_category{person},
                   sum(c.requests)::bigint AS requests, count(DISTINCT c.person) AS people,
                   sum(c.bytes)::bigint AS bytes
            FROM shadow_counts c JOIN shadow_people p USING (report_id, person)
            WHERE c.report_id = %s
            GROUP BY week, c.ai_service, p.service, p.job_category{person}
            ORDER BY week, c.ai_service, p.service, p.job_category{person}
            """,
            (report_id,),
        )
        return await cursor.fetchall()
