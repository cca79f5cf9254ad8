"""Structured results of the mail tools."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from tools.m365.mail import MailInfo

PARIS = ZoneInfo("Europe/Paris")
PREVIEW_CHARS = 200


class MailSummary(BaseModel):
    """A message as lists show it (received in Europe/Paris)."""

    id: str = Field(description="Identifiant du message, pour get_message.")
    subject: str
    sender: str = Field(description="Nom de l'expéditeur.")
    sender_address: str
    received: datetime | None
    preview: str = Field(description="Début du texte.")
    is_read: bool

    @classmethod
    def of(cls, mail: MailInfo) -> MailSummary:
        """The summary of a message record."""
        return cls(
            id=mail.id,
            subject=mail.subject,
            sender=mail.sender.name,
            sender_address=mail.sender.address,
            received=mail.received.astimezone(PARIS) if mail.received else None,
            preview=" ".join(mail.body.split())[:PREVIEW_CHARS],
            is_read=mail.is_read,
        )


class MailList(BaseModel):
    """Messages of a mailbox, newest first."""

    mailbox: str = Field(description="« moi » pour la boîte de l'utilisateur, sinon l'adresse ouverte.")
    folder: str | None
    query: str | None = None
    messages: list[MailSummary]


class MailDetail(MailSummary):
    """One message with its recipients and whole text."""

    to: list[str]
    cc: list[str]
    body: str
    web_link: str

    @classmethod
    def detail(cls, mail: MailInfo) -> MailDetail:
        """The detail of a message record."""
        return cls(
            **MailSummary.of(mail).model_dump(),
            to=[a.address for a in mail.to],
            cc=[a.address for a in mail.cc],
            body=mail.body,
            web_link=mail.web_link,
        )


class MailSent(BaseModel):
    """A message sent as the user."""

    status: str = Field(description="« envoyé ».")
    to: list[str]
    cc: list[str]
    subject: str
