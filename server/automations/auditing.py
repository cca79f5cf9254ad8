"""Automations in the audit trail: a firing's request run and its resumed run (`server/audit/launch_*`).

The request run (the approval's id) holds what fired it, the inputs read and the notice sent to the
robot's approvers; the resumed run (the firing's id) the decision, the job and the mails that told its
outcome. Both on behalf of the automation's owner, the automation as the actor.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from server.audit.launch_recording import REQUEST, Launch, approval_record, job_record, person, told
from server.automations.mailer import Outgoing
from tools.robots.catalogue import RobotSpec

_KEPT = ("name", "kind", "mailbox", "owner_name", "owner_email", "notify", "inputs", "robot_spec")


def _common(automation: dict[str, Any], firing: dict[str, Any], approval: dict[str, Any]) -> dict[str, Any]:
    spec = RobotSpec.model_validate(automation["robot_spec"])
    owner = person(automation, "owner")
    assert owner is not None
    actor = {
        "kind": "automation", "id": automation["id"], "name": automation["name"],
        "trigger": automation["kind"], "created_by": person(automation, "creator"),
        "approved_by": person(automation, "approver"),
    }  # fmt: skip
    return {
        "caller": owner | {"roles": [], "service": automation["owner_service"]},
        "actor": actor,
        "approval": approval_record(approval),
        "robot": {"id": spec.id, "name": spec.name, "version": approval["robot_version"],
                  "digest": approval["robot_digest"]},
        "inputs": approval["inputs"],
        "digest": approval["digest"],
        "now": datetime.now(UTC),
        "summary": {"automation": automation["id"]},
    }  # fmt: skip


def _origin(automation: dict[str, Any], firing: dict[str, Any], sender: str) -> dict[str, Any]:
    return {
        "kind": "automation",
        "automation": {key: automation[key] for key in _KEPT},
        "firing": {key: firing[key] for key in ("id", "key", "origin", "message", "inputs")}
        | {"extraction": firing.get("extraction"), "interpretation": firing.get("interpretation")},
        "sender": sender,
    }


def automation_request(
    automation: dict[str, Any], firing: dict[str, Any], approval: dict[str, Any], sender: str,
    notice: Outgoing,
) -> Launch:  # fmt: skip
    """A firing's request run: the approval asked on behalf of the owner, and the approvers' notice."""
    return Launch(
        run_id=str(approval["id"]), job=None, workflow=REQUEST,
        origin=_origin(automation, firing, sender) | {"to": notice.to},
        outcome=request_outcome(notice), **_common(automation, firing, approval),
    )  # fmt: skip


def request_outcome(notice: Outgoing) -> dict[str, Any]:
    """What a firing's request run answers: the notice the robot's approvers get."""
    return {"status": "asked", "answer": notice.body, "subject": notice.subject, "to": notice.to}


def automation_launch(
    automation: dict[str, Any], firing: dict[str, Any], approval: dict[str, Any],
    job: dict[str, Any] | None, sender: str, report: str, outcome: dict[str, Any],
) -> Launch:  # fmt: skip
    """A firing's resumed run: the decision, the job, the outcome and its mails."""
    return Launch(
        run_id=firing["id"], job=job_record(job),
        origin=_origin(automation, firing, sender) | {"report": report},
        outcome=outcome, **_common(automation, firing, approval),
    )  # fmt: skip


def outcome_record(status: str, detail: str, mails: list[Outgoing]) -> dict[str, Any]:
    """A firing's outcome as the audit trail keeps it (and its replay builds it again)."""
    sent = [asdict(mail) for mail in mails]
    return {"status": status, "detail": detail, "mails": sent, "answer": told(detail, sent)}
