"""The resumed run of a robot exchange in the audit trail: who approved, the exact inputs, the job.

A robot is launched by a decision on its approval, and that decision resumes a run: in the chat, the
run that reports it in the requester's thread (the approval's `resumed_run_id`); for an automation
(a mail trigger or a schedule), its firing, on behalf of the automation's owner with the automation
as the actor. Each is recorded as one audit run of kind `robot_launch`, in a trace of its own (the
run id as trace id, like a batch): `run_start` holds the caller, the actor, the approval (decision,
who decided, when, why), the robot (id, version, definition digest), the exact inputs and their
digest, the job (id, status, digest of what it ran, outputs, error, files) and what the answer is
built from (the chat's request and decision, or the automation and its firing); `outcome` holds the
answer given (the chat's text, or the automation's outcome and mails). Replay re-derives them with
the current code and never runs a robot (`launch_replay.py`).

An automation's firing also has its **request run** (workflow `automation_request`, the approval's
id as run id), recorded when the approval is asked: what fired it, the inputs read, the approval asked
and the notice sent to the approvers — the counterpart of the chat turn that paused on the approval.

With content capture off, the inputs, the mail and the answer are not kept: the run is listed and
shown, and replay says what is missing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agents.recording import RecordingFailedError
from server.audit.chain import canonical
from server.audit.recorder import ServerAuditor
from server.audit.writer import AuditUnavailableError, Pending

KIND = "robot_launch"
WORKFLOW = "robot_launch"
REQUEST = "automation_request"  # an automation's request: the approval asked for a firing
ASSISTANT: dict[str, Any] = {"id": "robots", "name": "Robots", "version": 1}
_CONTENT = ("inputs", "origin")  # what a capture switched off leaves out of the start


@dataclass(frozen=True)
class Launch:
    """One resumed run of a robot exchange, as recorded.

    `origin` says what the answer is built from: `{"kind": "chat", "request", "decision"}` or
    `{"kind": "automation", "automation", "firing", "sender", "report"}`.
    """

    run_id: str
    caller: dict[str, Any]
    actor: dict[str, Any]
    approval: dict[str, Any]
    robot: dict[str, Any]
    inputs: dict[str, Any]
    digest: str
    job: dict[str, Any] | None
    origin: dict[str, Any]
    outcome: dict[str, Any]
    now: datetime
    summary: dict[str, Any] = field(default_factory=dict)
    workflow: str = WORKFLOW


def person(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    """`{id, email, display_name}` of a row's `<prefix>_id/_email/_name`, None when unset."""
    if row.get(f"{prefix}_id") is None:
        return None
    return {
        "id": str(row[f"{prefix}_id"]),
        "email": row[f"{prefix}_email"],
        "display_name": row[f"{prefix}_name"],
    }


def approval_record(row: dict[str, Any]) -> dict[str, Any]:
    """What the trail keeps of a decided approval (a row of `server.robots.repository`)."""
    decided = row.get("decided_at")
    return {
        "id": str(row["id"]),
        "status": row["status"],
        "approver": person(row, "approver"),
        "decided_at": decided.isoformat() if decided else None,
        "reason": row.get("reason"),
        "request_run_id": row.get("run_id"),
        "thread_id": row.get("thread_id"),
        "digest": row["digest"],
    }


def job_record(job: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the trail keeps of the job the approval started (a row of `server.robots.repository`)."""
    if job is None:
        return None
    return {
        "id": str(job["id"]),
        "status": job["status"],
        "runner": job.get("runner"),
        "digest": job["digest"],
        "outputs": job.get("outputs") or {},
        "error": job.get("error"),
        "artifacts": list(job.get("artifacts") or []),
    }


def told(detail: str, mails: list[dict[str, Any]]) -> str:
    """An automation's outcome as the auditor reads it: what came of it, then each mail sent."""
    parts = [detail] + [
        f"{mail['subject'] or '(réponse)'} → {', '.join(mail['to'])}\n{mail['body']}" for mail in mails
    ]
    return "\n\n".join(parts)


class LaunchAuditor:
    """Writes resumed runs through the process's audit writer (redacted, content per setting)."""

    def __init__(self, auditor: ServerAuditor) -> None:
        self._auditor = auditor

    async def record(self, launch: Launch) -> None:
        """Record the run and wait until it is stored.

        Raises:
            RecordingFailedError: the audit store could not take it (the caller does not go on).
        """
        start: dict[str, Any] = {
            "run_id": launch.run_id,
            "kind": KIND,
            "thread_id": launch.approval.get("thread_id"),
            "caller": launch.caller,
            "actor": launch.actor,
            "assistant": ASSISTANT,
            "workflow_requested": launch.workflow,
            "message": (
                f"Demande de lancement du robot « {launch.robot['name']} »"
                if launch.workflow == REQUEST
                else f"Lancement du robot « {launch.robot['name']} »"
            ),
            "approval": launch.approval,
            "robot": launch.robot,
            "digest": launch.digest,
            "job": launch.job,
            "inputs": launch.inputs,
            "origin": launch.origin,
            "captured": self._auditor.capture,
            "now": launch.now.isoformat(),
            "fixed_clock": False,
            "versions": self._auditor.versions,
        }
        await write_run(self._auditor, start, launch.outcome, launch.summary, _CONTENT)

    @property
    def capture(self) -> bool:
        """Whether content is captured (inputs, mails, answers)."""
        return self._auditor.capture

    async def record_run(
        self, start: dict[str, Any], outcome: dict[str, Any], content: tuple[str, ...]
    ) -> None:
        """Record another run that asks no model (an automation's message), as `write_run` does."""
        start = start | {"captured": self._auditor.capture, "versions": self._auditor.versions}
        await write_run(self._auditor, start, outcome, {}, content)


async def write_run(
    auditor: ServerAuditor, start: dict[str, Any], outcome: dict[str, Any], summary: dict[str, Any],
    content: tuple[str, ...],
) -> None:  # fmt: skip
    """Write a run that asks no model as one trace (its id as trace id) and wait until it is stored.

    `start` is the run's `run_start` body; with content capture off, its keys named in `content` and
    the outcome are left out.

    Raises:
        RecordingFailedError: the audit store could not take it (the caller does not go on).
    """
    capture = auditor.capture
    redact = auditor.redact
    run_id, workflow = start["run_id"], start["workflow_requested"]
    if not capture:
        start = {key: value for key, value in start.items() if key not in content}
    kept = {"captured": capture, "outcome": outcome if capture else None}
    end = {
        "run_id": run_id,
        "status": "done",
        "error": None,
        "summary": {"workflow": workflow, "models": [], "tools": [], "refusals": 0} | summary,
    }
    writer = auditor.writer
    mark = writer.submitted
    trace_id = uuid.UUID(run_id).hex
    for kind, body in (
        ("run_start", redact.rendered(start)),
        ("workflow", canonical({"captured": True, "workflow": workflow})),
        ("outcome", redact.rendered(kept)),
        ("run_end", canonical(end)),
    ):
        writer.submit(Pending(kind=kind, trace_id=trace_id, body=body, run_id=run_id))
    try:
        await writer.flush(mark)
    except AuditUnavailableError as exc:
        raise RecordingFailedError(str(exc)) from exc
