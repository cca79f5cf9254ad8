"""Change-notification subscriptions on messages: kept, matched against new mail, and notified.

A subscription watches one mailbox's folder (or all its folders) for messages `created` there. It
belongs to whoever created it (an application, or a user); others neither see nor change it. It is
kept in a JSON file beside the mail journal, so that a restarted tenant still notifies, as Graph
would; an expired one notifies nothing and is forgotten at the next change.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.tenant.graph.notifier import Notifier
from tools.tenant.mail import Message


@dataclass(frozen=True)
class Subscription:
    """One subscription as Graph describes it, with the mailbox and folder its resource names."""

    id: str
    resource: str
    change_type: str
    notification_url: str
    client_state: str | None
    expiration: datetime
    owner: str  # the application's client id, or the user's id
    application_id: str
    creator_id: str
    mailbox_id: str
    folder: str | None  # None: every folder of the mailbox

    def active(self, now: datetime | None = None) -> bool:
        """Not expired yet."""
        return self.expiration > (now or datetime.now(UTC))

    def record(self) -> dict[str, Any]:
        """As the file keeps it."""
        return asdict(self) | {"expiration": self.expiration.isoformat()}


class Subscriptions:
    """The tenant's subscriptions; thread-safe (mail arrives from the threads of sync routes too)."""

    def __init__(self, tenant_id: str, path: Path | None = None, notifier: Notifier | None = None) -> None:
        self.tenant_id = tenant_id
        self.notifier = notifier or Notifier()
        self._path = path
        self._lock = threading.Lock()
        self._items: dict[str, Subscription] = {}
        if path is not None and path.is_file():
            for data in json.loads(path.read_text(encoding="utf-8")):
                data["expiration"] = datetime.fromisoformat(data["expiration"])
                self._items[data["id"]] = Subscription(**data)

    def new_id(self) -> str:
        """A fresh subscription id (Graph's are GUIDs)."""
        return str(uuid.uuid4())

    def add(self, subscription: Subscription) -> None:
        """Keep a validated subscription."""
        with self._lock:
            self._items[subscription.id] = subscription
            self._save()

    def get(self, subscription_id: str, owner: str) -> Subscription | None:
        """The caller's subscription, if it exists and has not expired."""
        found = self._items.get(subscription_id)
        return found if found is not None and found.owner == owner and found.active() else None

    def owned_by(self, owner: str) -> list[Subscription]:
        """The caller's subscriptions still active."""
        return [s for s in self._items.values() if s.owner == owner and s.active()]

    def renew(self, subscription: Subscription, expiration: datetime) -> Subscription:
        """The subscription with its new expiration."""
        renewed = replace(subscription, expiration=expiration)
        with self._lock:
            self._items[renewed.id] = renewed
            self._save()
        return renewed

    def remove(self, subscription_id: str) -> None:
        """Forget a subscription."""
        with self._lock:
            self._items.pop(subscription_id, None)
            self._save()

    def message_created(self, message: Message) -> None:
        """Notify every active subscription watching the message's folder (the mail store calls this)."""
        now = datetime.now(UTC)
        watching = [
            s for s in list(self._items.values())
            if s.mailbox_id == message.mailbox_id and s.folder in (None, message.folder) and s.active(now)
        ]  # fmt: skip
        for subscription in watching:
            self.notifier.post(subscription.notification_url, self._notification(subscription, message))

    def _notification(self, subscription: Subscription, message: Message) -> dict[str, Any]:
        path = f"Users/{message.mailbox_id}/Messages/{message.id}"
        item: dict[str, Any] = {
            "subscriptionId": subscription.id,
            "subscriptionExpirationDateTime": subscription.expiration.isoformat(),
            "changeType": "created",
            "resource": path,
            "resourceData": {
                "@odata.type": "#Microsoft.Graph.Message",
                "@odata.id": path,
                "@odata.etag": f'W/"{message.seq}"',
                "id": message.id,
            },
            "tenantId": self.tenant_id,
        }
        if subscription.client_state is not None:
            item["clientState"] = subscription.client_state
        return {"value": [item]}

    def _save(self) -> None:
        """Write the file (under the lock), dropping what has expired."""
        now = datetime.now(UTC)
        self._items = {key: s for key, s in self._items.items() if s.active(now)}
        if self._path is None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        partial = self._path.with_suffix(".tmp")
        records = [s.record() for s in self._items.values()]
        partial.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
        partial.replace(self._path)
