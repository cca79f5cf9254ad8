"""JSON of messages and mail folders as Graph writes them, and the query options mail lists take."""

from __future__ import annotations

import base64
import re
from datetime import datetime
from typing import Any

from tools.doctext.folding import fold
from tools.tenant.graph.errors import bad_request
from tools.tenant.graph.shapes import Json, utc_text
from tools.tenant.mail import Address, Mailbox, Message, NewMessage
from tools.tenant.mail.store import FOLDERS

_PREVIEW = 255
_CLAUSE = re.compile(
    r"^\s*(internetMessageId|isRead|receivedDateTime|from/emailAddress/address)\s+(eq|ge|gt)\s+"
    r"('(?:[^']|'')*'|true|false|\d{4}-\d\d-\d\dT[\d:.]+Z?)\s*$",
    re.IGNORECASE,
)


def folder_id(box: Mailbox, name: str) -> str:
    """An opaque, stable id for a well-known folder of a mailbox (Graph's ids are opaque too)."""
    return "AQMk" + base64.urlsafe_b64encode(f"{box.id}:{name}".encode()).decode().rstrip("=")


def folder_name(box: Mailbox, key: str) -> str | None:
    """The well-known folder a path segment names: its well-known name or its id."""
    lowered = key.lower()
    if lowered in FOLDERS:
        return lowered
    return next((name for name in FOLDERS if folder_id(box, name) == key), None)


def folder_json(box: Mailbox, name: str, messages: list[Message]) -> Json:
    """A mail folder with its counts."""
    return {
        "id": folder_id(box, name),
        "displayName": FOLDERS[name],
        "parentFolderId": "AQMk" + base64.urlsafe_b64encode(f"{box.id}:root".encode()).decode().rstrip("="),
        "childFolderCount": 0,
        "unreadItemCount": sum(1 for m in messages if not m.is_read),
        "totalItemCount": len(messages),
        "isHidden": False,
        "wellKnownName": name,
    }


def _address(address: Address) -> Json:
    return {"emailAddress": {"name": address.name, "address": address.address}}


def message_json(message: Message, box: Mailbox, web_base: str) -> Json:
    """A message with Graph's default properties."""
    preview = " ".join(message.body.split())[:_PREVIEW]
    changed = utc_text(message.sent or message.created)
    return {
        "@odata.etag": f'W/"{message.seq}"',
        "id": message.id,
        "createdDateTime": utc_text(message.created),
        "lastModifiedDateTime": changed,
        "changeKey": str(message.seq),
        "categories": [],
        "receivedDateTime": utc_text(message.received) if message.received else None,
        "sentDateTime": utc_text(message.sent) if message.sent else None,
        "hasAttachments": False,
        "internetMessageId": message.internet_message_id,
        "subject": message.subject,
        "bodyPreview": preview,
        "importance": message.importance,
        "parentFolderId": folder_id(box, message.folder),
        "conversationId": message.conversation_id,
        "isDeliveryReceiptRequested": False,
        "isReadReceiptRequested": False,
        "isRead": message.is_read,
        "isDraft": message.is_draft,
        "webLink": f"{web_base}/owa/?ItemID={message.id}&exvsurl=1&viewmodel=ReadMessageItem",
        "inferenceClassification": "focused",
        "body": {"contentType": message.body_type, "content": message.body},
        "sender": _address(message.sender),
        "from": _address(message.sender),
        "toRecipients": [_address(a) for a in message.to],
        "ccRecipients": [_address(a) for a in message.cc],
        "bccRecipients": [],
        "replyTo": [_address(a) for a in message.reply_to],
        "flag": {"flagStatus": "notFlagged"},
    }


def selected(body: Json, select: str | None) -> Json:
    """Only the `$select`ed properties (and the id), as Graph returns them."""
    if not select:
        return body
    wanted = {name.strip() for name in select.split(",") if name.strip()} | {"id", "@odata.etag"}
    return {key: value for key, value in body.items() if key in wanted}


def matches_filter(message: Message, raw: str | None) -> bool:
    """Whether the message passes `$filter` (the clauses mail clients use, joined by `and`).

    Raises:
        GraphError: `BadRequest` for a clause outside that subset.
    """
    if not raw:
        return True
    return all(_clause(message, part) for part in re.split(r"\s+and\s+", raw.strip(), flags=re.IGNORECASE))


def _clause(message: Message, text: str) -> bool:
    match = _CLAUSE.match(text)
    if match is None:
        raise bad_request(f"Invalid filter clause: {text}")
    field, operator, raw = match.group(1).lower(), match.group(2).lower(), match.group(3)
    value: Any = raw[1:-1].replace("''", "'") if raw.startswith("'") else raw
    if field == "internetmessageid":
        return operator == "eq" and message.internet_message_id == value
    if field == "from/emailaddress/address":
        return operator == "eq" and message.sender.address.casefold() == str(value).casefold()
    if field == "isread":
        return operator == "eq" and message.is_read == (str(value).lower() == "true")
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    received = message.received
    if received is None:
        return False
    return received >= moment if operator == "ge" else received > moment


def matches_search(message: Message, raw: str | None) -> bool:
    """`$search`: every word is in the subject, the body or the sender."""
    if not raw:
        return True
    text = fold(f"{message.subject} {message.body} {message.sender.name} {message.sender.address}")
    return all(word in text for word in fold(raw.strip().strip('"')).split())


def new_message(body: Json) -> NewMessage:
    """The fields of a `message` resource a client sends (sendMail, create, createReply's patch).

    Raises:
        GraphError: `BadRequest` for a recipient without an address.
    """

    def addresses(key: str) -> tuple[Address, ...]:
        found = []
        for item in body.get(key) or []:
            email = (item or {}).get("emailAddress") or {}
            address = str(email.get("address") or "").strip()
            if "@" not in address:
                raise bad_request(f"Invalid recipient in {key}: an address is required.")
            found.append(Address(str(email.get("name") or address), address))
        return tuple(found)

    content = body.get("body") or {}
    return NewMessage(
        subject=str(body.get("subject") or ""),
        body=str(content.get("content") or ""),
        body_type="html" if str(content.get("contentType", "text")).lower() == "html" else "text",
        to=addresses("toRecipients"),
        cc=addresses("ccRecipients"),
        reply_to=addresses("replyTo"),
        importance=str(body.get("importance") or "normal").lower(),
        internet_message_id=body.get("internetMessageId"),
    )
