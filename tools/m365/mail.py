"""Mail through msgraph-sdk: list, read, search, delta query, drafts, replies and sending, as records.

`mailbox` None is the signed-in user's own mailbox (`/me`); an address or id is another mailbox
(a shared one the user may open, or, with the application's client, one its access policy lists).
Bodies are asked as text (`Prefer: outlook.body-content-type="text"`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.body_type import BodyType
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.message import Message
from msgraph.generated.models.recipient import Recipient
from msgraph.generated.users.item.mail_folders.item.messages.delta.delta_request_builder import (
    DeltaRequestBuilder,
)
from msgraph.generated.users.item.messages.item.create_reply.create_reply_post_request_body import (
    CreateReplyPostRequestBody,
)
from msgraph.generated.users.item.messages.messages_request_builder import MessagesRequestBuilder
from msgraph.generated.users.item.send_mail.send_mail_post_request_body import SendMailPostRequestBody
from msgraph.graph_service_client import GraphServiceClient

from tools.m365.client import GraphAccess

TEXT_BODY = 'outlook.body-content-type="text"'
_MAX_PAGES = 50  # bounded, so that a paging bug cannot loop forever


@dataclass(frozen=True)
class MailAddress:
    """A name and an address."""

    name: str
    address: str


@dataclass(frozen=True)
class MailInfo:
    """What Ariane needs of a message."""

    id: str
    internet_message_id: str
    conversation_id: str
    subject: str
    sender: MailAddress
    to: tuple[MailAddress, ...]
    cc: tuple[MailAddress, ...]
    received: datetime | None
    body: str
    is_read: bool
    is_draft: bool
    web_link: str
    importance: str


@dataclass(frozen=True)
class DeltaPage:
    """One round of a delta query: messages new or changed, ids removed, and the link to keep."""

    messages: list[MailInfo]
    removed: list[str]
    delta_link: str


def _address(recipient: Recipient | None) -> MailAddress:
    email = recipient.email_address if recipient else None
    address = (email.address or "") if email else ""
    return MailAddress((email.name or address) if email else "", address)


def mail_info(message: Message) -> MailInfo:
    """An SDK message as a record."""
    received = message.received_date_time
    return MailInfo(
        id=message.id or "",
        internet_message_id=message.internet_message_id or "",
        conversation_id=message.conversation_id or "",
        subject=message.subject or "",
        sender=_address(message.from_ or message.sender),
        to=tuple(_address(r) for r in message.to_recipients or []),
        cc=tuple(_address(r) for r in message.cc_recipients or []),
        received=received.astimezone(UTC) if received else None,
        body=(message.body.content or "") if message.body else (message.body_preview or ""),
        is_read=bool(message.is_read),
        is_draft=bool(message.is_draft),
        web_link=message.web_link or "",
        importance=str(message.importance.value) if message.importance else "normal",
    )


def _owner(client: GraphServiceClient, mailbox: str | None) -> Any:
    return client.me if mailbox is None else client.users.by_user_id(mailbox)


def _text_config(query: Any = None) -> RequestConfiguration[Any]:
    config: RequestConfiguration[Any] = RequestConfiguration(query_parameters=query)
    config.headers.add("Prefer", TEXT_BODY)
    return config


async def list_messages(
    graph: GraphAccess, client: GraphServiceClient, mailbox: str | None, *, folder: str | None = None,
    top: int = 20, search: str | None = None, filter: str | None = None,
) -> list[MailInfo]:  # fmt: skip
    """The newest messages (of one folder, or all), optionally matching `search` or `filter`."""
    owner = _owner(client, mailbox)
    builder = owner.mail_folders.by_mail_folder_id(folder).messages if folder else owner.messages
    params = MessagesRequestBuilder.MessagesRequestBuilderGetQueryParameters(
        top=top, search=f'"{search}"' if search else None, filter=filter
    )
    page = await graph.call(builder.get(_text_config(params)))
    return [mail_info(message) for message in (page.value or [] if page else [])]


async def get_message(
    graph: GraphAccess, client: GraphServiceClient, mailbox: str | None, message_id: str
) -> MailInfo:
    """One message with its body as text.

    Raises:
        M365Error: `not_found` when the mailbox does not hold it (or may not be opened: `access_denied`).
    """
    message = await graph.call(_owner(client, mailbox).messages.by_message_id(message_id).get(_text_config()))
    assert message is not None
    return mail_info(message)


async def find_by_internet_id(
    graph: GraphAccess, client: GraphServiceClient, mailbox: str | None, internet_message_id: str
) -> list[MailInfo]:
    """Messages of the mailbox carrying this `internetMessageId` (a draft, a sent copy…)."""
    escaped = internet_message_id.replace("'", "''")
    return await list_messages(graph, client, mailbox, top=10, filter=f"internetMessageId eq '{escaped}'")


async def delta(
    graph: GraphAccess, client: GraphServiceClient, mailbox: str, folder: str, link: str | None,
    page_size: int = 50,
) -> DeltaPage:  # fmt: skip
    """What changed in a folder since `link` (a delta link kept from the last round; None: everything).

    Follows `@odata.nextLink` to the end of the round and returns the new delta link.
    """
    builder = client.users.by_user_id(mailbox).mail_folders.by_mail_folder_id(folder).messages.delta
    params = DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters()
    config = _text_config(params)
    config.headers.add("Prefer", f"odata.maxpagesize={page_size}")
    current = builder.with_url(link) if link else builder
    messages: list[MailInfo] = []
    removed: list[str] = []
    for _ in range(_MAX_PAGES):
        page = await graph.call(current.get(config))
        if page is None:
            break
        for item in page.value or []:
            extra = item.additional_data or {}
            if "@removed" in extra:
                removed.append(item.id or "")
            else:
                messages.append(mail_info(item))
        if page.odata_next_link:
            current = builder.with_url(page.odata_next_link)
            continue
        return DeltaPage(messages, removed, page.odata_delta_link or "")
    raise RuntimeError("delta query did not end within the page bound")


def _recipients(addresses: list[str]) -> list[Recipient]:
    return [Recipient(email_address=EmailAddress(address=address)) for address in addresses]


def new_message(
    subject: str,
    body: str,
    to: list[str],
    cc: list[str] | None = None,
    internet_message_id: str | None = None,
) -> Message:
    """A message to send or to save as a draft (text body)."""
    return Message(
        subject=subject,
        body=ItemBody(content_type=BodyType.Text, content=body),
        to_recipients=_recipients(to),
        cc_recipients=_recipients(cc or []),
        internet_message_id=internet_message_id,
    )


async def send_mail(
    graph: GraphAccess, client: GraphServiceClient, mailbox: str | None, message: Message
) -> None:
    """Send a message as the mailbox (saved in its Sent Items)."""
    body = SendMailPostRequestBody(message=message, save_to_sent_items=True)
    await graph.call(_owner(client, mailbox).send_mail.post(body))


async def create_draft(
    graph: GraphAccess, client: GraphServiceClient, mailbox: str, message: Message
) -> MailInfo:
    """Save a draft in the mailbox's Drafts folder."""
    created = await graph.call(client.users.by_user_id(mailbox).messages.post(message))
    assert created is not None
    return mail_info(created)


async def create_reply(
    graph: GraphAccess, client: GraphServiceClient, mailbox: str, message_id: str, reply: Message
) -> MailInfo:
    """A draft answering a received message (its sender, « RE: », the same conversation)."""
    body = CreateReplyPostRequestBody(message=reply)
    builder = client.users.by_user_id(mailbox).messages.by_message_id(message_id).create_reply
    created = await graph.call(builder.post(body))
    assert created is not None
    return mail_info(created)


async def send_draft(graph: GraphAccess, client: GraphServiceClient, mailbox: str, message_id: str) -> None:
    """Send a draft of the mailbox."""
    await graph.call(client.users.by_user_id(mailbox).messages.by_message_id(message_id).send.post())
