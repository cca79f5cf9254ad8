"""Graph change notifications for mail triggers: each active one's inbox subscribed, renewed, removed.

With `notification_url` set, every active mail trigger gets a subscription on its mailbox's inbox,
carrying a random secret (`clientState`) Graph echoes in each notification; only its SHA-256 is
kept. A subscription is renewed once half its lifetime has passed, and removed from Graph when its
trigger is paused, rejected or deleted (or the setting is removed). The periodic round does it all
(`automations.subscriptions`); a change of status queues a round for that one automation, so that
pausing takes effect at once. Notifications only hasten the delta poll: polling stays the fallback.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

from server.automations import repository
from server.automations import subscription_repository as kept
from server.automations.mailer import AutomationMail
from server.automations.settings import AutomationsSettings
from server.work import WorkItem, enqueue
from tools.database import Pool
from tools.m365 import Failure, M365Error

logger = logging.getLogger(__name__)
SUBSCRIPTION = "automation.subscription"
LEASE = timedelta(seconds=60)  # longer than Graph's 10-second handshake and the call around it


def secret_hash(client_state: str) -> str:
    """What is kept of a subscription's secret, and compared with what a notification carries."""
    return hashlib.sha256(client_state.encode()).hexdigest()


class SubscriptionKeeper:
    """Keeps Graph's subscriptions in step with the active mail triggers (one per process)."""

    def __init__(
        self, pool: Pool, settings: AutomationsSettings, mail: AutomationMail | None, clock: Any
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._mail = mail
        self._clock = clock  # the runner's clock (tests move it)

    async def round(self) -> None:
        """The periodic task `automations.subscriptions`: every trigger."""
        await self._remove()
        if self._mail is None or self._settings.notification_url is None:
            return
        for automation in await repository.list_all(self._pool, kind="mail", status="active"):
            await self._keep(automation["id"], automation["mailbox"])

    async def handle(self, item: WorkItem) -> dict[str, Any]:
        """The work item queued when an automation's status changed: that automation only."""
        automation_id = str(item.payload["automation_id"])
        await self._remove(automation_id)
        automation = await repository.get(self._pool, automation_id)
        active = automation is not None and automation["kind"] == "mail" and automation["status"] == "active"
        if active and self._mail is not None and self._settings.notification_url is not None:
            assert automation is not None
            await self._keep(automation_id, automation["mailbox"])
        return {"automation_id": automation_id}

    async def _keep(self, automation_id: str, mailbox: str) -> None:
        assert self._mail is not None
        url = self._settings.notification_url
        assert url is not None
        now = self._clock()
        lifetime = timedelta(minutes=self._settings.subscription_minutes)
        row = await kept.claim_to_keep(self._pool, automation_id, url, now, now + lifetime / 2, now + LEASE)
        if row is None:
            return  # up to date, or another process is at it
        try:
            if row["subscription_id"] and row["notification_url"] == url:
                try:
                    info = await self._mail.renew(row["subscription_id"], now + lifetime)
                except M365Error as exc:
                    if exc.failure != Failure.NOT_FOUND:
                        raise
                    await kept.release(self._pool, automation_id, forget_subscription=True)
                    return await self._keep(automation_id, mailbox)  # expired meanwhile: a new one
                await kept.renewed(self._pool, automation_id, info.expires_at)
                return
            if row["subscription_id"]:  # the address changed: the old subscription goes
                await self._unsubscribe(row["subscription_id"])
            client_state = secrets.token_urlsafe(32)
            info = await self._mail.subscribe(mailbox, url, client_state, now + lifetime)
            await kept.record(
                self._pool, automation_id, info.id, secret_hash(client_state), url, info.expires_at
            )
        except M365Error as exc:  # Graph refused (validation failed) or is away: polling goes on
            logger.warning("automation %s: no change notifications: %s", automation_id, exc)
            await kept.release(self._pool, automation_id)

    async def _remove(self, automation_id: str | None = None) -> None:
        off = self._mail is None or self._settings.notification_url is None
        now = self._clock()
        rows = await kept.claim_to_remove(
            self._pool, now, now + LEASE, all_rows=off, automation_id=automation_id
        )
        for row in rows:
            try:
                if row["subscription_id"] and self._mail is not None:
                    await self._unsubscribe(row["subscription_id"])
            except M365Error as exc:  # tried again at the next round; Graph ends it at expiry anyway
                logger.warning("automation %s: subscription not removed: %s", row["automation_id"], exc)
                await kept.release(self._pool, row["automation_id"])
                continue
            await kept.delete(self._pool, row["automation_id"])

    async def _unsubscribe(self, subscription_id: str) -> None:
        assert self._mail is not None
        try:
            await self._mail.unsubscribe(subscription_id)
        except M365Error as exc:
            if exc.failure != Failure.NOT_FOUND:  # already gone: what was wanted
                raise


async def status_changed(pool: Pool, automation_id: str) -> None:
    """Queue a subscriptions round for one automation (activated, paused, resumed, rejected, deleted)."""
    await enqueue(pool, SUBSCRIPTION, {"automation_id": automation_id})
