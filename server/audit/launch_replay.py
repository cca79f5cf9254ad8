"""Replay of a robot exchange's resumed run (`launch_recording.py`): derived again, no robot run again.

Exact replay takes the recorded run and builds again, with the current code, what it holds; the first
difference is reported (step, what, expected, got), else « identique »:
1. the inputs' digest, computed again from the robot and the recorded inputs, is the approval's;
2. the job ran what was approved: its digest is the approval's;
3. for a mail trigger, the rules read the same inputs from the recorded mail again — and where a model
   read it, its recorded answer is checked against the schema and the mail again (what it gave and
   what was refused), without asking the model again;
4. the answer, built again from the recorded decision and job: in the chat, the robot workflow's
   decision step (resumed on a checkpointer of its own, as the request run's replay pauses on one)
   then the closing words on the job; for an automation, its outcome and the mails telling it.
A what-if replay has nothing to change here: the run asks no model, and a robot is never run again.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

from agents.context import RunContext
from agents.replay import first_difference
from agents.robots.graph import RobotState, await_decision
from server.audit.launch_recording import KIND, REQUEST, WORKFLOW
from server.audit.replay import IDENTICAL, ReplayImpossibleError, _short
from server.messages import MESSAGES
from tools.i18n import DEFAULT_LANGUAGE, Language, Text, as_language, joined
from tools.m365.mail import MailAddress, MailInfo
from tools.robots.catalogue import RobotSpec, inputs_digest


@dataclass
class RecordedLaunch:
    """A resumed run's records, parsed."""

    run_id: str
    start: dict[str, Any]
    outcome: dict[str, Any] | None = None

    @classmethod
    def of(cls, run_id: str, rows: list[dict[str, Any]]) -> RecordedLaunch:
        """Parse the run's records (its last start counts: a round run again records it again)."""
        launch: RecordedLaunch | None = None
        for row in rows:
            if row["kind"] == "run_start":
                launch = cls(run_id, json.loads(row["body"]))
            elif row["kind"] == "outcome" and launch is not None:
                launch.outcome = json.loads(row["body"]).get("outcome")
        if launch is None or launch.start.get("kind") != KIND:
            raise ReplayImpossibleError(MESSAGES("audit.start_not_found"))
        return launch

    def missing(self) -> list[Text]:
        """What replay needs and the record does not hold (content capture was off)."""
        missing = []
        if not self.start.get("captured") or "inputs" not in self.start:
            missing.append(MESSAGES("audit.missing.inputs"))
        if self.outcome is None:
            missing.append(MESSAGES("audit.missing.outcome"))
        return missing


def _checks(launch: RecordedLaunch) -> list[tuple[str, Any, Any]]:
    """(what, recorded, derived again) for the digests and, for a mail trigger, the inputs read."""
    start = launch.start
    approval, job, robot = start["approval"], start.get("job"), start["robot"]
    checks: list[tuple[str, Any, Any]] = [
        ("inputs_digest", start["digest"], inputs_digest(robot["id"], start["inputs"])),
        ("approval_digest", approval["digest"], start["digest"]),
    ]
    if job is not None:
        checks.append(("job_digest", job["digest"], start["digest"]))
    origin = start["origin"]
    message = (origin.get("firing") or {}).get("message")
    if origin["kind"] == "automation" and message:
        from server.automations.extraction import MAX_BODY_KEPT, extract_inputs

        if len(message.get("body") or "") < MAX_BODY_KEPT:  # the whole body was kept: read it again
            automation = origin["automation"]
            spec = RobotSpec.model_validate(automation["robot_spec"])
            read = extract_inputs(spec, automation["inputs"], _mail(message), automation["mailbox"])
            extraction = origin["firing"].get("extraction") or {}
            if (
                "answer" in extraction
            ):  # a model's reading: its recorded answer checked again, not asked again
                from server.automations.reading import merged_inputs

                read, report = merged_inputs(spec, read, automation["inputs"], extraction["answer"], message)
                recorded = {key: extraction.get(key) for key in report}
                checks.append(("model_reading", recorded, report))
            checks.append(("inputs_read", origin["firing"]["inputs"], read))
    return checks


def _mail(message: dict[str, Any]) -> MailInfo:
    sender = MailAddress(address=message["sender"]["address"], name=message["sender"].get("name") or "")
    received = datetime.fromisoformat(message["received"]) if message.get("received") else None
    return MailInfo(
        id=message["id"], internet_message_id=message.get("internet_message_id") or "",
        conversation_id="", subject=message["subject"], sender=sender, to=(), cc=(), received=received,
        body=message.get("body") or "", is_read=True, is_draft=False, web_link="", importance="normal",
    )  # fmt: skip


async def _chat_answer(origin: dict[str, Any], job: dict[str, Any] | None) -> dict[str, Any]:
    from server.robots.followup import closing

    graph = StateGraph(RobotState, context_schema=RunContext)  # the decision step reads no context
    graph.add_node("await_decision", await_decision)
    graph.add_edge(START, "await_decision")
    graph.add_edge("await_decision", END)
    compiled = graph.compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "rejeu"}}
    language = as_language(origin.get("language"))  # recorded only when not French
    await compiled.ainvoke({"request": origin["request"], "language": language}, config)  # pauses
    state = await compiled.ainvoke(Command(resume=origin["decision"]), config)
    answer = str(state.get("answer") or "")
    if job is not None and job["status"] in {"succeeded", "failed"}:
        answer += closing(job, language)
    return {"answer": answer}


def _automation_outcome(start: dict[str, Any]) -> dict[str, Any]:
    from server.automations.auditing import outcome_record, request_outcome
    from server.automations.reports import approval_notice, outcome_mail
    from server.automations.runner import outcome_detail, outcome_status

    origin, job = start["origin"], start.get("job")
    if start.get("workflow_requested") == REQUEST:  # the request run: the notice built again
        approval, to = start["approval"]["id"], origin["to"]
        notice = approval_notice(origin["sender"], origin["automation"], origin["firing"], approval, to)
        return request_outcome(notice)
    status = outcome_status(
        {"approval_status": start["approval"]["status"], "job_status": (job or {}).get("status")}
    )
    if status is None:
        return {"status": None}
    detail = str(outcome_detail(status, job))  # as recorded: in French, as the mails say it
    firing = origin["firing"]
    mails = outcome_mail(origin["sender"], origin["automation"], firing, job, detail, origin["report"])
    return outcome_record(status, detail, mails)


async def replay_launch(
    run_id: str,
    rows: list[dict[str, Any]],
    *,
    model: str | None,
    versions: dict[str, Any],
    language: Language = DEFAULT_LANGUAGE,
) -> dict[str, Any]:
    """Exact replay of a resumed run; a what-if has nothing to change (no model, no robot run again).

    `language`: the auditor's, for what the report says of a divergence (its values stay as recorded).

    Raises:
        ReplayImpossibleError: a what-if was asked, or the content was not captured.
    """
    if model is not None:
        raise ReplayImpossibleError(
            MESSAGES("audit.launch_exact_only"),
            code="what_if_not_applicable",
        )
    launch = RecordedLaunch.of(run_id, rows)
    missing = launch.missing()
    if missing:
        raise ReplayImpossibleError(
            MESSAGES("audit.not_captured", missing=joined(missing)),
            code="content_not_captured",
        )
    started = time.perf_counter()
    start = launch.start
    checks = _checks(launch)
    if start["origin"]["kind"] == "chat":
        replayed = await _chat_answer(start["origin"], start.get("job"))
    else:
        replayed = _automation_outcome(start)
    checks.append(("answer", launch.outcome, replayed))
    return compared(run_id, start, checks, launch.outcome, replayed, versions, started, language)


def compared(
    run_id: str, start: dict[str, Any], checks: list[tuple[str, Any, Any]], outcome: dict[str, Any] | None,
    replayed: dict[str, Any], versions: dict[str, Any], started: float, language: Language = DEFAULT_LANGUAGE,
) -> dict[str, Any]:  # fmt: skip
    """The replay's report: the first of `checks` (what, recorded, derived again) that differs, if any."""
    divergence = None
    for number, (what, recorded, derived) in enumerate(checks, start=1):
        difference = first_difference(recorded, derived)
        if difference is not None:
            path = f"{what}.{difference[0]}" if difference[0] else what
            divergence = {
                "step": number, "kind": what, "path": path,
                "expected": _short(difference[1], language), "got": _short(difference[2], language),
            }  # fmt: skip
            break
    recorded_code = start.get("versions", {}).get("code", {})
    current_code = versions.get("code", {})
    return {
        "run_id": run_id,
        "workflow": start.get("workflow_requested") or WORKFLOW,
        "steps": len(checks),
        "code": {
            "recorded": recorded_code,
            "current": current_code,
            "same": recorded_code.get("agents") == current_code.get("agents"),
        },
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "mode": "exact",
        "status": IDENTICAL if divergence is None else "divergence",
        "divergence": divergence,
        "answer": {"recorded": (outcome or {}).get("answer"), "replayed": replayed.get("answer")},
    }
