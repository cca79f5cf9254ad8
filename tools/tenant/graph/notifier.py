"""Graph's outbound calls for change notifications: the validation handshake, and deliveries.

Graph checks a subscription's `notificationUrl` before creating it: it POSTs
`notificationUrl?validationToken=…` and expects, within 10 seconds, a 200 whose `text/plain` body is
the token. Notifications are then POSTed to that URL, and only there, in the background — a sender
never waits for a subscriber — and retried with back-off when the subscriber does not answer 2xx.

Each delivery runs on an event loop of its own, in a daemon thread: mail is created from async routes
and from the synchronous `/mail-api` alike, and neither should carry a subscriber's slowness (a local
tenant's mail is a trickle: a thread per notification is cheap, and needs no loop to shut down).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
from typing import Any

import httpx

logger = logging.getLogger(__name__)
VALIDATION_SECONDS = 10.0  # Graph's bound on the handshake
DELIVERY_SECONDS = 10.0
RETRY_DELAYS = (1.0, 5.0, 30.0)  # Graph retries for hours; a local tenant gives up sooner


class Notifier:
    """Validates notification URLs and delivers notifications to them."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
    ) -> None:
        """`transport` lets tests put a subscriber in process; `retry_delays` are the waits between tries."""
        self._transport = transport
        self._delays = retry_delays

    async def validate(self, url: str) -> bool:
        """True when `url` echoes a fresh validation token, as Graph requires, within 10 seconds."""
        token = "Validation: " + secrets.token_urlsafe(24)
        try:
            async with httpx.AsyncClient(transport=self._transport, timeout=VALIDATION_SECONDS) as client:
                response = await client.post(
                    url, params={"validationToken": token}, headers={"Content-Type": "text/plain"}
                )
        except httpx.HTTPError:
            return False
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return response.status_code == 200 and media == "text/plain" and response.text == token

    def post(self, url: str, body: dict[str, Any]) -> None:
        """Deliver `body` to `url` in the background (returns at once, from any thread)."""
        threading.Thread(target=asyncio.run, args=(self._deliver(url, body),), name="tenant-notifier",
                         daemon=True).start()  # fmt: skip

    async def _deliver(self, url: str, body: dict[str, Any]) -> None:
        async with httpx.AsyncClient(transport=self._transport, timeout=DELIVERY_SECONDS) as client:
            for delay in (0.0, *self._delays):
                await asyncio.sleep(delay)
                try:
                    response = await client.post(url, json=body)
                except httpx.HTTPError as exc:
                    logger.info("notification to %s not delivered: %r", url, exc)
                    continue
                if response.is_success:
                    return
                logger.info("notification to %s refused with %s", url, response.status_code)
        logger.warning("notification to %s dropped after %d tries", url, len(self._delays) + 1)
