"""The world outside the tenant's mail (`/mail-api`, key required): mail arriving, mail that left.

Exchange receives mail from other organisations by SMTP; the local tenant takes it here instead
(`POST /mail-api/inbound`), delivering it as Exchange would, to each internal recipient's inbox. Mail
sent to an address outside the tenant ends in the outbound list (`GET /mail-api/outbound`), where a
demonstration or a test reads what « the outside » received.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException
from pydantic import BaseModel, Field

from tools.tenant.mail import Address, MailStore, NewMessage


class InboundAddress(BaseModel):
    """An address with an optional display name."""

    address: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)
    name: str = Field("", max_length=200)


class InboundMail(BaseModel):
    """A message arriving from outside."""

    sender: InboundAddress = Field(alias="from")
    to: list[InboundAddress] = Field(min_length=1, max_length=50)
    cc: list[InboundAddress] = Field(default_factory=list, max_length=50)
    subject: str = Field(max_length=998)
    body: str = Field(max_length=1_000_000)
    internet_message_id: str | None = Field(None, max_length=400)
    received: datetime | None = None
    importance: str = Field("normal", pattern="^(low|normal|high)$")


def _address(item: InboundAddress) -> Address:
    return Address(item.name or item.address, item.address)


def mail_router(store: MailStore, key: str) -> APIRouter:
    """The routes of the outside world; every call must present the mail key (`X-Mail-Key`)."""

    def authorised(x_mail_key: Annotated[str | None, Header()] = None) -> None:
        if not x_mail_key or not hmac.compare_digest(x_mail_key, key):
            raise HTTPException(401, "Clé de messagerie absente ou invalide.")

    router = APIRouter(prefix="/mail-api", dependencies=[Depends(authorised)])

    @router.post("/inbound")
    def deliver(mail: InboundMail) -> dict[str, Any]:
        """Deliver a message from outside; the ids of the copies in each recipient mailbox."""
        message = NewMessage(
            subject=mail.subject, body=mail.body, to=tuple(map(_address, mail.to)),
            cc=tuple(map(_address, mail.cc)), importance=mail.importance,
            internet_message_id=mail.internet_message_id,
        )  # fmt: skip
        copies = store.deliver(_address(mail.sender), message, mail.received)
        return {
            "delivered": [
                {"mailbox": store.mailboxes[copy.mailbox_id].address, "id": copy.id} for copy in copies
            ],
            "internet_message_id": copies[0].internet_message_id if copies else mail.internet_message_id,
        }

    @router.get("/outbound")
    def outbound() -> list[dict[str, Any]]:
        """What was sent to addresses outside the tenant, oldest first."""
        return list(store.outbound)

    return router
