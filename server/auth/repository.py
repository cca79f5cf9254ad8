"""SQL for users."""

from __future__ import annotations

from psycopg import AsyncConnection
from psycopg.rows import DictRow

from server.auth.schemas import Principal


async def upsert_user(conn: AsyncConnection[DictRow], principal: Principal) -> str:
    """Record the user as the token describes them now; return their Ariane id."""
    cursor = await conn.execute(
        """
        INSERT INTO users (issuer, subject, email, display_name, job_title, service, job_category, roles)
        VALUES (%(issuer)s, %(subject)s, %(email)s, %(display_name)s, %(job_title)s, %(service)s,
                %(job_category)s, %(roles)s)
        ON CONFLICT (issuer, subject) DO UPDATE SET
            email = EXCLUDED.email, display_name = EXCLUDED.display_name, job_title = EXCLUDED.job_title,
            service = EXCLUDED.service, job_category = EXCLUDED.job_category, roles = EXCLUDED.roles,
            last_seen = now()
        RETURNING id
        """,
        principal.model_dump(exclude={"token"}) | {"roles": [str(role) for role in principal.roles]},
    )
    row = await cursor.fetchone()
    assert row is not None
    return str(row["id"])
