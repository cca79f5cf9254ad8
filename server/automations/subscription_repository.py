"""SQL of mail triggers' Graph subscriptions (`automation_subscriptions`, one row per automation).

A process talks to Graph about a row only while it holds the row's lease (`busy_until`), taken with
one compare-and-set statement: two replicas never create, renew or remove the same subscription at
once, and a process that dies mid-call leaves a lease that expires.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tools.database import Pool

Row = dict[str, Any]
_COLUMNS = "automation_id::text, subscription_id, client_state_hash, notification_url, expires_at"
_WATCHED = "a.id = s.automation_id AND a.kind = 'mail' AND a.status = 'active'"


async def claim_to_keep(
    pool: Pool, automation_id: str, url: str, now: datetime, renew_before: datetime, lease_until: datetime
) -> Row | None:
    """The row of a trigger needing a subscription made, renewed or moved to `url`, now leased to the caller.

    None when it is up to date, or another process holds the lease.
    """
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "INSERT INTO automation_subscriptions AS s (automation_id, busy_until) "
            "VALUES (%(id)s, %(lease)s) "
            "ON CONFLICT (automation_id) DO UPDATE SET busy_until = %(lease)s "
            "WHERE (s.busy_until IS NULL OR s.busy_until < %(now)s) AND (s.subscription_id IS NULL "
            "OR s.expires_at < %(renew)s OR s.notification_url IS DISTINCT FROM %(url)s) "
            f"RETURNING {_COLUMNS}",
            {"id": automation_id, "lease": lease_until, "now": now, "renew": renew_before, "url": url},
        )
        return await cursor.fetchone()


async def claim_to_remove(
    pool: Pool, now: datetime, lease_until: datetime, *, all_rows: bool, automation_id: str | None = None
) -> list[Row]:
    """Rows whose automation is no longer an active mail trigger, leased to the caller.

    Every row with `all_rows` (the notifications were turned off); those of one automation with
    `automation_id`.
    """
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "UPDATE automation_subscriptions s SET busy_until = %(lease)s "
            "WHERE (s.busy_until IS NULL OR s.busy_until < %(now)s) "
            "AND (%(id)s::uuid IS NULL OR s.automation_id = %(id)s::uuid) "
            f"AND (%(all)s OR NOT EXISTS (SELECT 1 FROM automations a WHERE {_WATCHED})) "
            f"RETURNING {_COLUMNS}",
            {"lease": lease_until, "now": now, "id": automation_id, "all": all_rows},
        )
        return await cursor.fetchall()


async def record(
    pool: Pool,
    automation_id: str,
    subscription_id: str,
    client_state_hash: str,
    url: str,
    expires_at: datetime,
) -> None:
    """The subscription Graph made (or renewed) for the row; its lease is released."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE automation_subscriptions SET subscription_id = %s, client_state_hash = %s, "
            "notification_url = %s, expires_at = %s, busy_until = NULL, updated_at = now() "
            "WHERE automation_id = %s",
            (subscription_id, client_state_hash, url, expires_at, automation_id),
        )


async def renewed(pool: Pool, automation_id: str, expires_at: datetime) -> None:
    """A renewal's new end; the lease is released."""
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE automation_subscriptions SET expires_at = %s, busy_until = NULL, updated_at = now() "
            "WHERE automation_id = %s",
            (expires_at, automation_id),
        )


async def release(pool: Pool, automation_id: str, *, forget_subscription: bool = False) -> None:
    """Give the lease back (after a failure: the next round tries again).

    `forget_subscription` when Graph no longer has it, so that the next round makes a new one.
    """
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE automation_subscriptions SET busy_until = NULL, updated_at = now(), "
            "subscription_id = CASE WHEN %s THEN NULL ELSE subscription_id END WHERE automation_id = %s",
            (forget_subscription, automation_id),
        )


async def delete(pool: Pool, automation_id: str) -> None:
    """Forget a row whose subscription was removed from Graph."""
    async with pool.connection() as conn:
        await conn.execute("DELETE FROM automation_subscriptions WHERE automation_id = %s", (automation_id,))


async def watched_by(pool: Pool, subscription_ids: list[str]) -> dict[str, Row]:
    """By subscription id, the active mail trigger each watches for, with the hash of its secret.

    One query for a whole notification body, whatever it names (ids unknown are simply absent).
    """
    if not subscription_ids:
        return {}
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "SELECT s.subscription_id, s.automation_id::text, s.client_state_hash "
            f"FROM automation_subscriptions s JOIN automations a ON {_WATCHED} "
            "WHERE s.subscription_id = ANY(%s)",
            (subscription_ids,),
        )
        return {row["subscription_id"]: row for row in await cursor.fetchall()}


async def of_automation(pool: Pool, automation_id: str) -> Row | None:
    """An automation's row (tests, and whoever wants to show it)."""
    async with pool.connection() as conn:
        cursor = await conn.execute(
            f"SELECT {_COLUMNS} FROM automation_subscriptions WHERE automation_id = %s", (automation_id,)
        )
        return await cursor.fetchone()
