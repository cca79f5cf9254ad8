"""What the mail tools do, as the calling user, independent of the MCP plumbing."""

from __future__ import annotations

import re

from tools.m365 import GraphAccess, M365Error
from tools.m365.mail import get_message, list_messages, new_message, send_mail
from tools.mail.schemas import MailDetail, MailList, MailSent, MailSummary
from tools.mcp_common import Caller, ToolFailure, failure_from_m365

FOLDERS = {"inbox", "sentitems", "drafts", "archive", "deleteditems", "junkemail"}
_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[a-z]{2,}$", re.IGNORECASE)
MAX_RECIPIENTS = 20
MAX_BODY_CHARS = 20_000
MAX_SUBJECT_CHARS = 255


def _mailbox(mailbox: str | None) -> str | None:
    if mailbox is None or not mailbox.strip() or mailbox.strip().lower() in {"moi", "me"}:
        return None
    if not _ADDRESS.match(mailbox.strip()):
        raise ToolFailure("bad_request", f"Boîte aux lettres non comprise : « {mailbox} » (une adresse).")
    return mailbox.strip()


def _what(mailbox: str | None) -> str:
    return f"la boîte « {mailbox} »" if mailbox else "votre boîte aux lettres"


async def messages(
    graph: GraphAccess, caller: Caller, folder: str, mailbox: str | None, top: int, query: str | None = None
) -> MailList:
    """The newest messages of a folder (or of the whole mailbox when searching)."""
    box = _mailbox(mailbox)
    if folder not in FOLDERS:
        raise ToolFailure(
            "bad_request", f"Dossier inconnu « {folder} » ; dossiers : {', '.join(sorted(FOLDERS))}."
        )
    if not 1 <= top <= 50:
        raise ToolFailure("bad_request", "Le nombre de messages demandé va de 1 à 50.")
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
        raise failure_from_m365(exc, f"le message « {message_id} » de {_what(box)}") from exc


def _addresses(values: list[str], field: str) -> list[str]:
    cleaned = [value.strip() for value in values if value.strip()]
    wrong = [value for value in cleaned if not _ADDRESS.match(value)]
    if wrong:
        raise ToolFailure("bad_request", f"Adresse invalide dans « {field} » : {', '.join(wrong)}.")
    return cleaned


async def send(
    graph: GraphAccess, caller: Caller, to: list[str], subject: str, body: str, cc: list[str] | None
) -> MailSent:
    """Send a text message as the user."""
    recipients, copies = _addresses(to, "to"), _addresses(cc or [], "cc")
    if not recipients:
        raise ToolFailure("bad_request", "Au moins un destinataire est nécessaire.")
    if len(recipients) + len(copies) > MAX_RECIPIENTS:
        raise ToolFailure("bad_request", f"Au plus {MAX_RECIPIENTS} destinataires par message.")
    if not subject.strip() or len(subject) > MAX_SUBJECT_CHARS:
        raise ToolFailure("bad_request", f"L'objet est requis et tient en {MAX_SUBJECT_CHARS} caractères.")
    if len(body) > MAX_BODY_CHARS:
        raise ToolFailure("bad_request", f"Le texte dépasse {MAX_BODY_CHARS} caractères.")
    try:
        await send_mail(
            graph, graph.client_for(caller.token), None, new_message(subject, body, recipients, copies)
        )
    except M365Error as exc:
        raise failure_from_m365(exc, "l'envoi de votre message") from exc
    return MailSent(status="envoyé", to=recipients, cc=copies, subject=subject)
