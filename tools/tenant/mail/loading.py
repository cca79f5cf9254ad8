"""Loading the tenant's mail: mailboxes, the seeded messages of `mail.json`, then the journal.

The package's `mail.json` comes first, then the extra data folder's; every user has a mailbox.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from tools.tenant.directory import DATA_DIR, Directory
from tools.tenant.mail.store import Address, Mailbox, MailStore, Message, conversation_id


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    mailbox: str
    folder: str = "inbox"
    sender: str = Field(alias="from")
    sender_name: str | None = None
    to: list[str] = []
    cc: list[str] = []
    subject: str
    body: str
    received: datetime
    internet_message_id: str
    is_read: bool = True
    importance: str = "normal"


class _Shared(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    address: str
    display_name: str
    readers: list[str] = []
    senders: list[str] = []


class _MailFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shared_mailboxes: list[_Shared] = []
    applications: dict[str, list[str]] = {}
    messages: list[_Seed] = []


def load_mail(directory: Directory, journal: Path | None = None, extra_dir: Path | None = None) -> MailStore:
    """Every user's mailbox, the shared ones and the seeded messages, then what the journal holds."""
    store = MailStore(directory=directory, journal=journal)
    for user in directory.users:
        store.mailboxes[user.id] = Mailbox(user.id, user.mail, user.display_name, False, (user.mail,),
                                           (user.mail,))  # fmt: skip
    for folder in (DATA_DIR, extra_dir):
        path = folder / "mail.json" if folder is not None else None
        if path is None or not path.is_file():
            continue
        data = _MailFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
        for shared in data.shared_mailboxes:
            store.mailboxes[shared.id] = Mailbox(
                shared.id, shared.address, shared.display_name, True, tuple(shared.readers),
                tuple(shared.senders),
            )  # fmt: skip
        store.applications |= {client: tuple(boxes) for client, boxes in data.applications.items()}
        for seed in sorted(data.messages, key=lambda s: s.received):
            _seed(store, seed)
    store.replay_journal()
    return store


def _seed(store: MailStore, seed: _Seed) -> None:
    box = store.mailbox(seed.mailbox)
    if box is None:
        raise ValueError(f"mail.json: unknown mailbox {seed.mailbox}")
    sender = store.address_of(seed.sender)
    if seed.sender_name:
        sender = Address(seed.sender_name, seed.sender)
    store.seq += 1
    store.messages[seed.id] = Message(
        id=seed.id, mailbox_id=box.id, folder=seed.folder, internet_message_id=seed.internet_message_id,
        conversation_id=conversation_id(seed.subject), subject=seed.subject, body=seed.body,
        body_type="text", sender=sender, to=tuple(store.address_of(a) for a in seed.to),
        cc=tuple(store.address_of(a) for a in seed.cc), reply_to=(), created=seed.received,
        received=seed.received, sent=seed.received, is_read=seed.is_read,
        is_draft=False, importance=seed.importance, in_reply_to=None, seq=store.seq,
    )  # fmt: skip
