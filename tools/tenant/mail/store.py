"""The tenant's mail: mailboxes (each user's, and shared ones), their folders and messages, and changes.

Every change gets the next number of one sequence; a delta token is a number of it, so a client that
kept one gets exactly what changed since (new or changed messages, and removals). The seeded mail
comes from `mail.json` files; what happens afterwards (deliveries, sends) is appended to a journal
under the tenant's data folder, so that a restarted tenant keeps its mail as Exchange would.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tools.tenant.directory import Directory

FOLDERS = {
    "inbox": "Boîte de réception",
    "drafts": "Brouillons",
    "sentitems": "Éléments envoyés",
    "deleteditems": "Éléments supprimés",
    "archive": "Archives",
    "junkemail": "Courrier indésirable",
}


@dataclass(frozen=True)
class Address:
    """A name and an address, as Graph's `emailAddress`."""

    name: str
    address: str


@dataclass(frozen=True)
class Mailbox:
    """A user's mailbox, or a shared one with who may read it and who may send as it.

    `readers` and `senders` are access-list entries: a mail, or `group:<mail_nickname>`.
    """

    id: str
    address: str
    display_name: str
    shared: bool
    readers: tuple[str, ...]
    senders: tuple[str, ...]


@dataclass(frozen=True)
class Message:
    """One message in one mailbox's folder (a delivery to two mailboxes makes two messages)."""

    id: str
    mailbox_id: str
    folder: str
    internet_message_id: str
    conversation_id: str
    subject: str
    body: str
    body_type: str
    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    reply_to: tuple[Address, ...]
    created: datetime
    received: datetime | None
    sent: datetime | None
    is_read: bool
    is_draft: bool
    importance: str
    in_reply_to: str | None
    seq: int

    def record(self) -> dict[str, Any]:
        """The message as a journal line holds it."""
        data = asdict(self)
        for name in ("created", "received", "sent"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def of_record(cls, data: dict[str, Any]) -> Message:
        """Back from a journal line."""
        fields = dict(data)
        for name in ("created", "received", "sent"):
            fields[name] = datetime.fromisoformat(fields[name]) if fields[name] else None
        fields["sender"] = Address(**fields["sender"])
        for name in ("to", "cc", "reply_to"):
            fields[name] = tuple(Address(**item) for item in fields[name])
        return cls(**fields)


class NewMessage(BaseModel):
    """A message to deliver, draft or send: what a client gives."""

    model_config = ConfigDict(frozen=True)

    subject: str = Field("", max_length=998)
    body: str = Field("", max_length=1_000_000)
    body_type: str = "text"
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    reply_to: tuple[Address, ...] = ()
    importance: str = "normal"
    internet_message_id: str | None = Field(None, max_length=400)


@dataclass
class Change:
    """A removal from a folder (deleted, or moved out), kept for delta queries."""

    seq: int
    mailbox_id: str
    folder: str
    message_id: str


@dataclass
class MailStore:
    """All mailboxes and messages; thread-safe; changes journaled when a journal file is given."""

    directory: Directory
    mailboxes: dict[str, Mailbox] = field(default_factory=dict)  # id -> mailbox
    messages: dict[str, Message] = field(default_factory=dict)
    removals: list[Change] = field(default_factory=list)
    outbound: list[dict[str, Any]] = field(default_factory=list)  # mail that left the tenant
    applications: dict[str, tuple[str, ...]] = field(default_factory=dict)  # client id -> mailboxes
    seq: int = 0
    journal: Path | None = None
    # Told of each message created (change notifications), outside the lock: they must return at once.
    listeners: list[Callable[[Message], None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- mailboxes ---------------------------------------------------------------------------

    def mailbox(self, key: str) -> Mailbox | None:
        """A mailbox by id or address (case-insensitive)."""
        found = self.mailboxes.get(key)
        if found is not None:
            return found
        wanted = key.strip().casefold()
        return next((box for box in self.mailboxes.values() if box.address.casefold() == wanted), None)

    def address_of(self, mail: str) -> Address:
        """The display name the tenant knows for `mail`, or the address itself."""
        box = self.mailbox(mail)
        return Address(box.display_name if box else mail, box.address if box else mail)

    # --- reading ---------------------------------------------------------------------------

    def in_mailbox(self, mailbox_id: str, folder: str | None = None) -> list[Message]:
        """Messages of a mailbox (one folder, or all), newest first."""
        found = [
            message
            for message in self.messages.values()
            if message.mailbox_id == mailbox_id and (folder is None or message.folder == folder)
        ]
        return sorted(found, key=lambda m: (m.received or m.created, m.id), reverse=True)

    def changes(self, mailbox_id: str, folder: str, after: int, upto: int) -> tuple[list[Message], list[str]]:
        """What changed in a folder in (after, upto]: messages now there, and ids removed from it."""
        changed = [
            m
            for m in self.messages.values()
            if m.mailbox_id == mailbox_id and m.folder == folder and after < m.seq <= upto
        ]
        changed.sort(key=lambda m: (m.seq, m.id))
        present = {m.id for m in changed}
        gone = [
            c.message_id
            for c in self.removals
            if c.mailbox_id == mailbox_id and c.folder == folder and after < c.seq <= upto
            and c.message_id not in present
        ]  # fmt: skip
        return changed, list(dict.fromkeys(gone))

    # --- changing ---------------------------------------------------------------------------

    def deliver(
        self, sender: Address, message: NewMessage, received: datetime | None = None
    ) -> list[Message]:
        """Deliver a message to every recipient: an inbox copy per mailbox here, the rest leaves."""
        received = received or datetime.now(UTC)
        internet_id = message.internet_message_id or _internet_id(self.directory)
        delivered: list[Message] = []
        with self._lock:
            for recipient in _unique([*message.to, *message.cc]):
                box = self.mailbox(recipient.address)
                if box is None:
                    self.outbound.append(_outbound(sender, recipient, message, internet_id, received))
                    self._journal({"op": "outbound", "mail": self.outbound[-1]})
                    continue
                copy = self._new(box.id, "inbox", sender, message, internet_id, received, draft=False)
                delivered.append(copy)
        self._created(delivered)
        return delivered

    def create_draft(
        self, mailbox: Mailbox, message: NewMessage, in_reply_to: Message | None = None
    ) -> Message:
        """A draft in the mailbox's Drafts folder."""
        internet_id = message.internet_message_id or _internet_id(self.directory)
        with self._lock:
            draft = self._new(
                mailbox.id, "drafts", Address(mailbox.display_name, mailbox.address), message, internet_id,
                None, draft=True, in_reply_to=in_reply_to,
            )  # fmt: skip
        self._created([draft])
        return draft

    def send_draft(self, draft: Message) -> Message:
        """Send a draft: it moves to Sent Items, and copies are delivered to its recipients."""
        now = datetime.now(UTC)
        with self._lock:
            self.seq += 1
            sent = replace(draft, folder="sentitems", is_draft=False, sent=now, received=now, seq=self.seq)
            self._put(sent, previous=draft)
        outgoing = NewMessage(
            subject=draft.subject, body=draft.body, body_type=draft.body_type, to=draft.to, cc=draft.cc,
            reply_to=draft.reply_to, importance=draft.importance,
            internet_message_id=draft.internet_message_id,
        )  # fmt: skip
        self.deliver(draft.sender, outgoing, now)
        return sent

    def mark_read(self, message: Message, is_read: bool) -> Message:
        """Change a message's read flag (a change delta queries return)."""
        with self._lock:
            self.seq += 1
            changed = replace(message, is_read=is_read, seq=self.seq)
            self._put(changed, previous=message)
        return changed

    def _created(self, messages: list[Message]) -> None:
        for message in messages:
            for listener in self.listeners:
                listener(message)

    def _new(
        self, mailbox_id: str, folder: str, sender: Address, message: NewMessage, internet_id: str,
        received: datetime | None, *, draft: bool, in_reply_to: Message | None = None,
    ) -> Message:  # fmt: skip
        self.seq += 1
        now = datetime.now(UTC)
        conversation = in_reply_to.conversation_id if in_reply_to else conversation_id(message.subject)
        created = Message(
            id=_message_id(), mailbox_id=mailbox_id, folder=folder, internet_message_id=internet_id,
            conversation_id=conversation, subject=message.subject, body=message.body,
            body_type=message.body_type, sender=sender, to=message.to, cc=message.cc,
            reply_to=message.reply_to, created=received or now, received=received, sent=received,
            is_read=draft, is_draft=draft, importance=message.importance,
            in_reply_to=in_reply_to.internet_message_id if in_reply_to else None, seq=self.seq,
        )  # fmt: skip
        self._put(created)
        return created

    def _put(self, message: Message, previous: Message | None = None) -> None:
        if previous is not None and previous.folder != message.folder:
            change = Change(message.seq, previous.mailbox_id, previous.folder, previous.id)
            self.removals.append(change)
            self._journal({"op": "removed", **asdict(change)})
        self.messages[message.id] = message
        self._journal({"op": "put", "message": message.record()})

    def _journal(self, line: dict[str, Any]) -> None:
        if self.journal is None:
            return
        self.journal.parent.mkdir(parents=True, exist_ok=True)
        with self.journal.open("a", encoding="utf-8") as sink:
            sink.write(json.dumps(line, ensure_ascii=False) + "\n")

    def replay_journal(self) -> None:
        """Apply what the journal recorded since the seeded mail (at start)."""
        if self.journal is None or not self.journal.is_file():
            return
        for line in self.journal.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry["op"] == "put":
                message = Message.of_record(entry["message"])
                self.messages[message.id] = message
                self.seq = max(self.seq, message.seq)
            elif entry["op"] == "removed":
                self.removals.append(Change(**{k: v for k, v in entry.items() if k != "op"}))
            elif entry["op"] == "outbound":
                self.outbound.append(entry["mail"])


def _unique(addresses: Iterable[Address]) -> list[Address]:
    seen: dict[str, Address] = {}
    for address in addresses:
        seen.setdefault(address.address.casefold(), address)
    return list(seen.values())


def _message_id() -> str:
    return "AAMkAG" + base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def conversation_id(subject: str) -> str:
    """The conversation a subject belongs to: the same for « RE: » and « TR: » of it."""
    stem = subject.casefold()
    for prefix in ("re:", "tr:", "fw:", "fwd:"):
        stem = stem.removeprefix(prefix).strip()
    return "AAQkAG" + base64.urlsafe_b64encode(uuid.uuid5(uuid.NAMESPACE_URL, stem).bytes).decode().rstrip(
        "="
    )


def _internet_id(directory: Directory) -> str:
    return f"<{uuid.uuid4().hex}@{directory.tenant.domain}>"


def _outbound(sender: Address, recipient: Address, message: NewMessage, internet_id: str,
              at: datetime) -> dict[str, Any]:  # fmt: skip
    return {
        "from": asdict(sender), "to": asdict(recipient), "subject": message.subject, "body": message.body,
        "internet_message_id": internet_id, "sent": at.isoformat(),
    }  # fmt: skip
