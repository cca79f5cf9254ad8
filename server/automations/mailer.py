"""Mail of automations, as the application (Graph app-only): watching mailboxes, sending at most once.

A mail is sent through a draft carrying an `internetMessageId` derived from what it reports (the
firing, the approval): before sending, the mailbox is asked for that id, so a retried round (a
worker that died between sending and recording it) finds the mail already sent and does not send
it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tools.m365 import GraphAccess
from tools.m365.mail import (
    DeltaPage,
    create_draft,
    create_reply,
    delta,
    find_by_internet_id,
    new_message,
    send_draft,
)
from tools.m365.subscriptions import (
    SubscriptionInfo,
    create_subscription,
    delete_subscription,
    inbox_resource,
    renew_subscription,
)

INBOX = "inbox"


@dataclass(frozen=True)
class Outgoing:
    """A mail to send once: its identity, its sender mailbox, and what it says."""

    internet_id: str
    mailbox: str
    subject: str
    body: str
    to: list[str]
    reply_to_message: str | None = None  # a received message of `mailbox` this answers


class AutomationMail:
    """Graph mail for automations, with the application's own permissions (`Mail.Read`, `Mail.Send`)."""

    def __init__(self, graph: GraphAccess) -> None:
        self._graph = graph

    async def changes(self, mailbox: str, link: str | None) -> DeltaPage:
        """What arrived in the mailbox's inbox since `link` (None: everything, and the link to keep).

        Raises:
            M365Error: the mailbox cannot be read (policy, network).
        """
        return await delta(self._graph, self._graph.app_client(), mailbox, INBOX, link)

    async def send_once(self, mail: Outgoing) -> bool:
        """Send `mail` unless the mailbox already sent it; True when sent now.

        Raises:
            M365Error: the mailbox refused or could not be reached (the caller retries later).
        """
        client = self._graph.app_client()
        found = await find_by_internet_id(self._graph, client, mail.mailbox, mail.internet_id)
        if any(not message.is_draft for message in found):
            return False
        draft = next((message for message in found if message.is_draft), None)
        if draft is None:
            message = new_message(mail.subject, mail.body, mail.to, internet_message_id=mail.internet_id)
            if mail.reply_to_message is not None:
                draft = await create_reply(self._graph, client, mail.mailbox, mail.reply_to_message, message)
            else:
                draft = await create_draft(self._graph, client, mail.mailbox, message)
        await send_draft(self._graph, client, mail.mailbox, draft.id)
        return True

    async def subscribe(
        self, mailbox: str, url: str, client_state: str, expires_at: datetime
    ) -> SubscriptionInfo:
        """Ask Graph to tell `url` of each message arriving in the mailbox's inbox.

        Raises:
            M365Error: refused (the URL failed Graph's validation, no access) or unreachable.
        """
        client = self._graph.app_client()
        resource = inbox_resource(mailbox, INBOX)
        return await create_subscription(self._graph, client, resource, url, client_state, expires_at)

    async def renew(self, subscription_id: str, expires_at: datetime) -> SubscriptionInfo:
        """Move a subscription's end.

        Raises:
            M365Error: `not_found` when Graph no longer has it.
        """
        return await renew_subscription(self._graph, self._graph.app_client(), subscription_id, expires_at)

    async def unsubscribe(self, subscription_id: str) -> None:
        """End a subscription.

        Raises:
            M365Error: `not_found` when Graph no longer has it.
        """
        await delete_subscription(self._graph, self._graph.app_client(), subscription_id)
