"""What a mail says, by rules: does it match the trigger's filter, and the robot's inputs it carries.

The robot's input schema says what to look for: a string input whose pattern an address satisfies
(the account of « Compte : karim.haddad@… ») takes the first such address of the subject and body
that is neither the sender nor the watched mailbox; an input named `source` takes the sender; a
`date` input the day the mail was received (Europe/Paris). Inputs given on the automation win. The
lines that carry evidence (indicators, severity, reference) are kept for the approver to read.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from tools.m365.mail import MailInfo
from tools.robots.catalogue import RobotSpec

_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_EVIDENCE = re.compile(r"^\s*(?:[-•*]|\w[\w ']{1,40}\s?:)", re.UNICODE)
MAX_EVIDENCE_LINES = 12
MAX_BODY_KEPT = 4000


def matches(filter: dict[str, Any], message: MailInfo) -> bool:
    """All conditions of the filter hold: sender (address or @domain), words of the subject, of the body."""
    sender = (filter.get("sender") or "").strip().lower()
    if sender:
        address = message.sender.address.lower()
        if not (address.endswith(sender) if sender.startswith("@") else address == sender):
            return False
    subject = (filter.get("subject") or "").strip().lower()
    if subject and subject not in message.subject.lower():
        return False
    body = (filter.get("body") or "").strip().lower()
    return not body or body in message.body.lower()


def _pattern_of(schema: dict[str, Any]) -> re.Pattern[str] | None:
    pattern = schema.get("pattern")
    return re.compile(pattern) if isinstance(pattern, str) else None


def extract_inputs(spec: RobotSpec, fixed: dict[str, Any], message: MailInfo, mailbox: str) -> dict[str, Any]:
    """The robot's inputs from the automation's fixed ones and what the message says."""
    properties: dict[str, Any] = spec.input_schema.get("properties", {})
    inputs = dict(fixed)
    addresses = _named(message.subject, message.body, {mailbox, message.sender.address})
    for name, schema in properties.items():
        if name in inputs or not isinstance(schema, dict) or schema.get("type") != "string":
            continue
        if name == "source":
            label = message.sender.name or message.sender.address
            inputs[name] = label[: int(schema.get("maxLength", 120))]
        elif schema.get("format") == "date" and message.received is not None:
            inputs[name] = message.received.astimezone(ZoneInfo("Europe/Paris")).date().isoformat()
        elif (pattern := _pattern_of(schema)) is not None and "@" in pattern.pattern:
            found = next(
                (address.lower() for address in addresses if pattern.fullmatch(address.lower())), None
            )
            if found is not None:
                inputs[name] = found
    return inputs


def _named(subject: str, body: str, own: set[str]) -> list[str]:
    """The addresses a mail names, in order, but the watched mailbox's and its sender's."""
    mine = {address.lower() for address in own}
    return [found for found in _ADDRESS.findall(f"{subject}\n{body}") if found.lower() not in mine]


def addresses_named(message: dict[str, Any], mailbox: str) -> list[str]:
    """The addresses a recorded mail (`evidence`) names, each once, lower-cased."""
    named = _named(message["subject"], message.get("body") or "", {mailbox, message["sender"]["address"]})
    return list(dict.fromkeys(address.lower() for address in named))


def evidence(message: MailInfo) -> dict[str, Any]:
    """What the approver reads of the message: who, when, the subject and the lines carrying evidence."""
    lines = [line.strip() for line in message.body.splitlines() if _EVIDENCE.match(line)]
    return {
        "id": message.id,
        "internet_message_id": message.internet_message_id,
        "sender": {"name": message.sender.name, "address": message.sender.address},
        "subject": message.subject,
        "received": message.received.isoformat() if message.received else None,
        "evidence": lines[:MAX_EVIDENCE_LINES],
        "body": message.body[:MAX_BODY_KEPT],
    }
