"""Change-notification subscriptions through msgraph-sdk: create, renew, delete.

Graph validates the notification URL while `create` waits (the subscriber must echo a validation
token within 10 seconds), so a refused URL fails the call with `bad_request` and nothing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from msgraph.generated.models.subscription import Subscription
from msgraph.graph_service_client import GraphServiceClient

from tools.m365.client import GraphAccess


@dataclass(frozen=True)
class SubscriptionInfo:
    """What a caller keeps of a subscription: its id and when it ends."""

    id: str
    expires_at: datetime


def inbox_resource(mailbox: str, folder: str = "inbox") -> str:
    """The resource of a mailbox folder's messages, as Graph names it for subscriptions."""
    return f"users/{mailbox}/mailFolders('{folder}')/messages"


def _info(found: Subscription | None, asked: datetime) -> SubscriptionInfo:
    assert found is not None
    assert found.id
    expires = found.expiration_date_time or asked
    return SubscriptionInfo(found.id, expires if expires.tzinfo else expires.replace(tzinfo=UTC))


async def create_subscription(
    graph: GraphAccess, client: GraphServiceClient, resource: str, notification_url: str,
    client_state: str, expires_at: datetime,
) -> SubscriptionInfo:  # fmt: skip
    """Subscribe `notification_url` to messages `created` in `resource` until `expires_at`.

    Raises:
        M365Error: `bad_request` when the URL failed validation or the request is refused,
            `access_denied` without read access to the mailbox, `unavailable` otherwise.
    """
    body = Subscription(
        change_type="created", notification_url=notification_url, resource=resource,
        expiration_date_time=expires_at, client_state=client_state,
    )  # fmt: skip
    return _info(await graph.call(client.subscriptions.post(body)), expires_at)


async def renew_subscription(
    graph: GraphAccess, client: GraphServiceClient, subscription_id: str, expires_at: datetime
) -> SubscriptionInfo:
    """Move a subscription's end to `expires_at`.

    Raises:
        M365Error: `not_found` when it expired or was removed meanwhile.
    """
    body = Subscription(expiration_date_time=expires_at)
    builder = client.subscriptions.by_subscription_id(subscription_id)
    return _info(await graph.call(builder.patch(body)), expires_at)


async def delete_subscription(graph: GraphAccess, client: GraphServiceClient, subscription_id: str) -> None:
    """End a subscription.

    Raises:
        M365Error: `not_found` when it no longer exists.
    """
    await graph.call(client.subscriptions.by_subscription_id(subscription_id).delete())
