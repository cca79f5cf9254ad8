"""The text of a `chat` or `mail` automation: its placeholders, checked at creation and filled at each firing.

The text uses the batch letters' template language (`{{ objet }}`: holes, no expressions), and each
placeholder is a field of what fired the automation: for a mail trigger, the message as the approver
of a robot request would read it (who, when, subject, the lines carrying evidence, the addresses it
names, its body as kept); for a schedule, the slot. Everything is read from the firing as recorded,
so that the audit's replay builds the same text again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from server.automations.extraction import addresses_named
from server.automations.mailer import Outgoing
from server.automations.reports import DOMAIN
from server.batches.template import Template, parse_template
from server.messages import MESSAGES

MAIL_FIELDS = ("automatisation", "expediteur", "objet", "recu_le", "indices", "comptes", "corps")
SCHEDULE_FIELDS = ("automatisation", "creneau")
CHAT_WORKFLOW = "automation_message"  # the chat run a `chat` automation writes in its conversation


def fields_of(kind: str) -> tuple[str, ...]:
    """The placeholders an automation of `kind` (mail trigger, schedule) may use."""
    return MAIL_FIELDS if kind == "mail" else SCHEDULE_FIELDS


def check_message(kind: str, text: str) -> Template:
    """The message parsed against the fields of its kind.

    Raises:
        TemplateError: unbalanced braces or a placeholder that is not a field of this kind (in French,
            with the closest field names).
    """
    return parse_template(text, list(fields_of(kind)), what=MESSAGES("automations.what.message"))


def slot_label(moment: datetime, timezone: str) -> str:
    """A slot as staff read it: « 07/12/2026 07:00 » on the schedules' wall clock."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d/%m/%Y %H:%M")


def values(automation: dict[str, Any], firing: dict[str, Any], timezone: str) -> dict[str, str]:
    """Each field's value for this firing, from what it recorded."""
    found = {"automatisation": automation["name"]}
    message = firing.get("message") or {}
    if message:
        sender = message["sender"]
        received = message.get("received")
        found |= {
            "expediteur": f"{sender['name']} <{sender['address']}>"
            if sender.get("name")
            else sender["address"],
            "objet": message["subject"],
            "recu_le": slot_label(datetime.fromisoformat(received), timezone) if received else "",
            "indices": "\n".join(message.get("evidence") or []),
            "comptes": ", ".join(addresses_named(message, automation["mailbox"] or "")),
            "corps": message.get("body") or "",
        }
    found["creneau"] = str((firing.get("inputs") or {}).get("creneau", ""))
    return found


def compose(automation: dict[str, Any], firing: dict[str, Any], timezone: str) -> str:
    """The text this firing posts or sends.

    Raises:
        TemplateError: the stored text no longer parses (it was checked at creation: a bug).
    """
    template = check_message(automation["kind"], automation["message"])
    return template.render(values(automation, firing, timezone)).strip()


def action_mail(sender: str, automation: dict[str, Any], firing: dict[str, Any], text: str) -> Outgoing:
    """The mail of a `mail` automation: once per firing, to its `notify` addresses."""
    subject = automation["name"]
    message = firing.get("message") or {}
    if message:
        subject += f" : {message['subject']}"
    return Outgoing(
        internet_id=f"<message-{firing['id']}@{DOMAIN}>",
        mailbox=sender,
        subject=subject[:255],
        body=text,
        to=list(automation["notify"]),
    )
