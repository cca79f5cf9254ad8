"""What the mail tools do, as the calling user, independent of the MCP plumbing."""

from __future__ import annotations

import re

from tools.i18n import Text
from tools.m365 import GraphAccess, M365Error
from tools.m365.mail import get_message, list_messages, new_message, send_mail
from tools.mail.schemas import MailDetail, MailList, MailSent, MailSummary
from tools.mail.texts import TEXTS
from tools.mcp_common import Caller, ToolFailure, failure_from_m365

FOLDERS = {"inbox", "sentitems", "drafts", "archive", "deleteditems", "junkemail"}
_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[a-z]{2,}$", re.IGNORECASE)
MAX_TOP = 50
MAX_RECIPIENTS = 20
MAX_BODY_CHARS = 20_000
MAX_SUBJECT_CHARS = 255


def _mailbox(mailbox: str | None) -> str | None:
    if mailbox is None or not mailbox.strip() or mailbox.strip().lower() in {"moi", "me"}:
        return None
    if not _ADDRESS.match(mailbox.strip()):
        raise ToolFailure("bad_request", TEXTS("bad_mailbox", mailbox=mailbox))
    return mailbox.strip()


def _what(mailbox: str | None) -> Text:
    return TEXTS("the_mailbox", mailbox=mailbox) if mailbox else TEXTS("your_mailbox")


async def messages(
    graph: GraphAccess, caller: Caller, folder: str, mailbox: str | None, top: int, query: str | None = None
) -> MailList:
    """The newest messages of a folder (or of the whole mailbox when searching)."""
    box = _mailbox(mailbox)
    if folder not in FOLDERS:
        folders = ", ".join(sorted(FOLDERS))
        raise ToolFailure("bad_request", TEXTS("unknown_folder", folder=folder, folders=folders))
    if not 1 <= top <= MAX_TOP:
        raise ToolFailure("bad_request", TEXTS("bad_top", max=MAX_TOP))
    try:
        found = await list_messages(
            graph,
            graph.client_for(caller.token),
            box,
            folder=None if query else folder,
            top=top,
            search=query,
        )
    except M365Error as exc:
        raise failure_from_m365(exc, _what(box)) from exc
    return MailList(
        mailbox=box or "moi",
        folder=None if query else folder,
        query=query,
        messages=[MailSummary.of(mail) for mail in found],
    )


async def message(graph: GraphAccess, caller: Caller, message_id: str, mailbox: str | None) -> MailDetail:
    """One message, whole."""
    box = _mailbox(mailbox)
    try:
        return MailDetail.detail(await get_message(graph, graph.client_for(caller.token), box, message_id))
    except M365Error as exc:
        raise failure_from_m365(exc, TEXTS("the_message", id=message_id, box=_what(box))) from exc


def _addresses(values: list[str], field: str) -> list[str]:
    cleaned = [value.strip() for value in values if value.strip()]
    wrong = [value for value in cleaned if not _ADDRESS.match(value)]
    if wrong:
        raise ToolFailure("bad_request", TEXTS("bad_address", field=field, addresses=", ".join(wrong)))
    return cleaned


async def send(
    graph: GraphAccess, caller: Caller, to: list[str], subject: str, body: str, cc: list[str] | None
) -> MailSent:
    """Send a text message as the user."""
    recipients, copies = _addresses(to, "to"), _addresses(cc or [], "cc")
    if not recipients:
        raise ToolFailure("bad_request", TEXTS("no_recipient"))
    if len(recipients) + len(copies) > MAX_RECIPIENTS:
        raise ToolFailure("bad_request", TEXTS("too_many_recipients", max=MAX_RECIPIENTS))
    if not subject.strip() or len(subject) > MAX_SUBJECT_CHARS:
        raise ToolFailure("bad_request", TEXTS("bad_subject", max=MAX_SUBJECT_CHARS))
    if len(body) > MAX_BODY_CHARS:
        raise ToolFailure("bad_request", TEXTS("body_too_long", max=MAX_BODY_CHARS))
    try:
        await send_mail(
            graph, graph.client_for(caller.token), None, new_message(subject, body, recipients, copies)
        )
    except M365Error as exc:
        raise failure_from_m365(exc, TEXTS("the_sending")) from exc
    return MailSent(status="envoyé", to=recipients, cc=copies, subject=subject)
