"""A `chat` or `mail` automation's firing: its text composed, recorded in the audit trail, delivered once.

The firing's run (the firing's id as run id, like a robot launch's resumed run) is recorded before
anyone reads the text, on behalf of the automation's owner with the automation as the actor: the
automation and the firing as recorded (the mail's evidence or the slot), and the outcome (the text,
the mail sent). Its replay (`replay_message`) builds the text and the mail again from that record.

Delivered once: a `chat` message is a finished run of the owner's conversation with the automation,
written in the same transaction that closes the firing (the run's id is the firing's); a `mail` goes
through `AutomationMail.send_once`, whose identity is derived from the firing.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from server.audit.launch_recording import person
from server.audit.replay import ReplayImpossibleError
from server.automations.mailer import Outgoing
from server.automations.messages import action_mail, compose
from server.messages import MESSAGES

KIND = "automation_message"
ASSISTANT: dict[str, Any] = {"id": "automations", "name": "Automatisations", "version": 1}
CONTENT = ("origin",)  # what a capture switched off leaves out of the start
_KEPT = ("id", "name", "kind", "action", "message", "mailbox", "owner_name", "owner_email", "notify")


def outcome_of(
    automation: dict[str, Any], firing: dict[str, Any], sender: str, timezone: str
) -> dict[str, Any]:
    """What the firing delivers: the text, and the mail for a `mail` action."""
    text = compose(automation, firing, timezone)
    mails: list[Outgoing] = []
    if automation["action"] == "mail":
        mails.append(action_mail(sender, automation, firing, text))
    return {"status": "succeeded", "action": automation["action"], "answer": text,
            "mails": [asdict(mail) for mail in mails]}  # fmt: skip


def message_start(
    automation: dict[str, Any], firing: dict[str, Any], sender: str, timezone: str
) -> dict[str, Any]:
    """The firing's `run_start`: who it is for, the automation as the actor, what it is built from."""
    owner = person(automation, "owner")
    assert owner is not None
    return {
        "run_id": firing["id"],
        "kind": KIND,
        "thread_id": automation.get("thread_id"),
        "caller": owner | {"roles": [], "service": automation["owner_service"]},
        "actor": {
            "kind": "automation", "id": automation["id"], "name": automation["name"],
            "trigger": automation["kind"], "created_by": person(automation, "creator"),
            "approved_by": person(automation, "approver"),
        },
        "assistant": ASSISTANT,
        "workflow_requested": KIND,
        "message": f"Automatisation « {automation['name']} »",
        "origin": {
            "automation": {key: automation[key] for key in _KEPT},
            "firing": {key: firing[key] for key in ("id", "key", "origin", "message", "inputs")},
            "sender": sender,
            "timezone": timezone,
        },
        "now": datetime.now(UTC).isoformat(),
        "fixed_clock": False,
    }  # fmt: skip


def chat_request(automation: dict[str, Any]) -> str:
    """What the conversation's run says it answers (not shown as a message the owner typed)."""
    return f"Automatisation « {automation['name']} »"


def chat_title(automation: dict[str, Any]) -> str:
    """The title of the conversation a `chat` automation writes in."""
    return f"Automatisation : {automation['name']}"[:120]


def replay_message(
    run_id: str, rows: list[dict[str, Any]], *, model: str | None, versions: dict[str, Any]
) -> dict[str, Any]:
    """Exact replay of a firing's run: the text and the mail built again from the record.

    Raises:
        ReplayImpossibleError: a what-if was asked (no model is asked), or the content was not captured.
    """
    from server.audit.launch_replay import compared

    if model is not None:
        raise ReplayImpossibleError(
            MESSAGES("automations.exact_replay_only"),
            code="what_if_not_applicable",
        )
    start: dict[str, Any] | None = None
    outcome: dict[str, Any] | None = None
    for row in rows:  # the last start counts: a firing run again records it again
        if row["kind"] == "run_start":
            start = json.loads(row["body"])
        elif row["kind"] == "outcome" and start is not None:
            outcome = json.loads(row["body"]).get("outcome")
    if start is None or start.get("kind") != KIND:
        raise ReplayImpossibleError(MESSAGES("automations.start_not_found"))
    if "origin" not in start or outcome is None:
        raise ReplayImpossibleError(
            MESSAGES("automations.not_captured"),
            code="content_not_captured",
        )
    began = time.perf_counter()
    origin = start["origin"]
    replayed = outcome_of(origin["automation"], origin["firing"], origin["sender"], origin["timezone"])
    return compared(run_id, start, [("answer", outcome, replayed)], outcome, replayed, versions, began)
