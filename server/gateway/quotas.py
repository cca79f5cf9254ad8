"""Daily token quotas: reserve before the upstream call, settle with the real usage after it."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.gateway import repository
from server.gateway.callers import Caller, CallerKind
from server.gateway.errors import QuotaExceededError
from server.gateway.policy import Quotas
from server.gateway.repository import Hold
from server.messages import MESSAGES
from tools.database import Pool

PARIS = ZoneInfo("Europe/Paris")
_MESSAGE_OVERHEAD_TOKENS = 8
# Whose quota is short, by the prefix of its subject (`user:…`, `service:…`, `key:…`).
QUOTA_TEXTS = {"user": "gateway.quota.user", "service": "gateway.quota.service", "key": "gateway.quota.key"}


def estimate_input_tokens(texts: list[str], extra_bytes: int = 0) -> int:
    """An upper bound of the prompt's tokens: a BPE token is at least one byte, plus chat framing."""
    return (
        sum(len(text.encode()) for text in texts) + extra_bytes + _MESSAGE_OVERHEAD_TOKENS * (len(texts) + 1)
    )


def holds_for(caller: Caller, quotas: Quotas, tokens: int) -> list[Hold]:
    """The quotas a call of `tokens` counts against: the user's (or the key's) and the service's."""
    if caller.kind is CallerKind.USER:
        holds = [Hold(f"user:{caller.id}", quotas.users.get(caller.name, quotas.user_tokens_per_day), tokens)]
    else:
        holds = [Hold(f"key:{caller.id}", caller.scope.tokens_per_day if caller.scope else None, tokens)]
    if caller.service:
        limit = quotas.services.get(caller.service, quotas.service_tokens_per_day)
        holds.append(Hold(f"service:{caller.service}", limit, tokens))
    return holds


async def reserve(pool: Pool, holds: list[Hold], now: datetime | None = None) -> date:
    """Reserve `holds` atomically; return the quota day to settle them on.

    Raises:
        QuotaExceededError: one of them has not enough tokens left today (429 with `Retry-After`).
    """
    short = next(
        (hold.subject for hold in holds if hold.limit is not None and hold.tokens > hold.limit), None
    )
    day = (now or datetime.now(PARIS)).astimezone(PARIS).date()
    if short is None:
        try:
            async with pool.connection() as conn:
                await repository.reserve(conn, holds, day)
                return day
        except repository.QuotaShortError as exc:
            short = exc.subject
    quota = MESSAGES(QUOTA_TEXTS[short.split(":")[0]])
    raise QuotaExceededError(
        MESSAGES("gateway.quota_exceeded", quota=quota),
        headers={"Retry-After": str(seconds_until_midnight(now))},
    )


def seconds_until_midnight(now: datetime | None = None) -> int:
    """Seconds until the quotas renew (midnight, Europe/Paris)."""
    current = (now or datetime.now(PARIS)).astimezone(PARIS)
    midnight = datetime.combine(current.date() + timedelta(days=1), datetime.min.time(), PARIS)
    return max(1, math.ceil((midnight - current).total_seconds()))
