"""Graph's change notifications, received: hostile input turned into at most one poll per message.

Anyone can call the route (Graph holds no Ariane token), so the body is bounded, validated, and
trusted for one thing only: a notification whose subscription is known and whose `clientState`
matches that subscription's secret (compared in constant time) queues a poll of its trigger's
mailbox, keyed by the message it names so that Graph's retries coalesce. Nothing is ever fetched
from what a notification says; a mismatch is ignored without a word, as an unknown subscription is.
"""

from __future__ import annotations

import hmac
import logging

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from server.automations import subscription_repository as kept
from server.automations.runner import POLL
from server.automations.subscriptions import secret_hash
from server.errors import ApiError
from server.limits import repository as limits
from server.messages import MESSAGES
from server.work import enqueue
from tools.database import Pool

logger = logging.getLogger(__name__)
MAX_BODY = 256 * 1024  # Graph batches notifications; a few hundred kilobytes is plenty
_NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot store NUL: such a string is refused with the rest
WINDOW_SECONDS = 60.0  # of the per-address limit
_NEVER = secret_hash("")  # compared against when the subscription is unknown: the same work either way


class InvalidNotificationError(ApiError):
    """A body that is not Graph's notification collection."""

    status_code = 400
    code = "invalid_notification"


class TooManyNotificationsError(ApiError):
    """One address sent more requests than the route takes in a minute."""

    status_code = 429
    code = "too_many_requests"


class NotificationTooLargeError(ApiError):
    """A body over the bound."""

    status_code = 413
    code = "payload_too_large"


class _ResourceData(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = Field(None, max_length=512, pattern=_NO_NUL)


class _Notification(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    subscription_id: str = Field(alias="subscriptionId", min_length=1, max_length=128, pattern=_NO_NUL)
    client_state: str | None = Field(None, alias="clientState", max_length=255)
    change_type: str | None = Field(None, alias="changeType", max_length=100)
    resource_data: _ResourceData | None = Field(None, alias="resourceData")


class _Notifications(BaseModel):
    model_config = ConfigDict(extra="ignore")

    value: list[_Notification] = Field(max_length=100)


# The body as `/openapi.json` documents it (the route reads the raw bytes, to bound them first).
BODY_SCHEMA = {
    "type": "object",
    "required": ["value"],
    "properties": {
        "value": {
            "type": "array",
            "maxItems": 100,
            "items": {
                "type": "object",
                "required": ["subscriptionId"],
                "properties": {
                    "subscriptionId": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 128,
                        "pattern": _NO_NUL,
                    },
                    "clientState": {"type": "string", "maxLength": 255},
                    "changeType": {"type": "string", "maxLength": 100},
                    "resourceData": {
                        "type": "object",
                        "properties": {"id": {"type": "string", "maxLength": 512, "pattern": _NO_NUL}},
                    },
                },
            },
        }
    },
}


def parse(body: bytes) -> list[_Notification]:
    """The notifications of a body.

    Raises:
        NotificationTooLargeError: over `MAX_BODY`.
        InvalidNotificationError: not Graph's shape.
    """
    if len(body) > MAX_BODY:
        raise NotificationTooLargeError(MESSAGES("automations.notification_too_large"))
    try:
        return _Notifications.model_validate_json(body).value
    except ValidationError:
        raise InvalidNotificationError(MESSAGES("automations.not_a_notification")) from None


async def admit(pool: Pool, client: str, per_minute: int, now: float) -> None:
    """Count one request of `client` (its address) in the shared limiter, every replica alike.

    Raises:
        TooManyNotificationsError: over `per_minute` in the last minute (429, `Retry-After`).
    """
    if not await limits.take(pool, f"graph-notifications|{client}", per_minute, WINDOW_SECONDS, now):
        raise TooManyNotificationsError(
            MESSAGES("automations.notifications_rate_limited", limit=per_minute),
            headers={"Retry-After": str(int(WINDOW_SECONDS))},
        )


async def accept(pool: Pool, notifications: list[_Notification]) -> int:
    """Queue a poll for each genuine notification; how many were genuine (never told to the caller).

    The subscriptions a body names are read in one query; each notification's secret is still
    compared, in constant time, known subscription or not. A poll named twice in a body (the same
    trigger and message, or the same trigger without one) is queued once.
    """
    rows = await kept.watched_by(pool, list(dict.fromkeys(n.subscription_id for n in notifications)))
    genuine = 0
    queued: set[tuple[str, str | None]] = set()
    for notification in notifications:
        row = rows.get(notification.subscription_id)
        expected = (row or {}).get("client_state_hash") or _NEVER
        given = secret_hash(notification.client_state or "")
        if not hmac.compare_digest(expected, given) or row is None or notification.client_state is None:
            logger.info("graph notification ignored (subscription unknown or secret wrong)")
            continue
        genuine += 1
        automation_id = row["automation_id"]
        message = notification.resource_data.id if notification.resource_data else None
        if (automation_id, message) in queued:
            continue
        queued.add((automation_id, message))
        key = f"{POLL}:{automation_id}:{message}" if message else None  # Graph's retries: one poll
        await enqueue(pool, POLL, {"automation_id": automation_id}, key=key)
    return genuine
