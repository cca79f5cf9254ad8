"""Reporting a decision in the requester's thread: a new run resumes the paused graph, then follows the job.

Choice: the requester's run ends when it pauses (`approval_required`, then `done`): an approval may take
hours and a run holds the thread. The decision opens a new run in the same thread, which resumes the
LangGraph interrupt with `Command(resume=decision)`, streams the job's transitions as `job` events,
and ends when the job does.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from agents.runner import AgentRunner
from agents.turn import Caller
from server.audit.launch_recording import Launch, LaunchAuditor, approval_record, job_record, person
from server.chat import repository as chat_repository
from server.chat.hub import Emit, RunHub
from server.chat.schemas import EventType, RunStatus
from server.messages import MESSAGES
from server.robots import repository
from server.robots.job_texts import error_shown, transition_shown
from server.robots.jobs import TERMINAL, JobWatch
from tools.database import Pool
from tools.i18n import Language
from tools.robots.catalogue import RobotSpec

logger = logging.getLogger(__name__)
FOLLOW_POLL_SECONDS = 2.0


class DecisionReporter:
    """Posts decisions and job outcomes into the requesters' threads."""

    def __init__(self, pool: Pool, hub: RunHub, agents: AgentRunner, watch: JobWatch) -> None:
        self._pool = pool
        self._hub = hub
        self._agents = agents
        self._watch = watch
        self.auditor: LaunchAuditor | None = None  # set once the audit trail runs (the app's lifespan)

    async def report(self, approval_id: str) -> str | None:
        """Start the run that reports this decision; its id, or None if not possible now (retried later)."""
        row = await repository.get_approval(self._pool, approval_id)
        if row is None or row["status"] == "pending":
            return None
        name = RobotSpec.model_validate(row["robot_spec"]).name
        run_id = await repository.create_followup_run(
            self._pool, approval_id, f"Décision sur la demande « {name} »", self._hub.owner
        )
        if run_id is not None:
            self._hub.start(run_id, lambda emit: self._work(run_id, row, emit))
        return run_id

    async def _work(self, run_id: str, row: dict[str, Any], emit: Emit) -> None:
        status, result = RunStatus.FAILED, dict[str, Any]()
        try:
            answer = await self._resume(row, emit)
            language = await self._agents.request_language(row["checkpoint_key"])
            job = None
            if row["job_id"]:
                closing = await self._follow(row["job_id"], emit, language)
                await emit(EventType.TOKEN, {"text": closing})
                answer += closing
                job = await repository.get_job(self._pool, row["job_id"])
            if self.auditor is not None:  # the resumed run in the trail: who approved, the inputs, the job
                await self.auditor.record(chat_launch(run_id, row, job, answer, language))
            status, result = (
                RunStatus.DONE,
                {"answer": answer, "mode": "extractive", "workflow": "robot_request"},
            )
        except Exception:  # the run's top-level boundary, as in the chat service
            logger.exception("decision report %s failed", run_id)
            result = {"error": {"code": "internal_error", "detail": "Erreur interne : réessayez plus tard."}}
        if result.get("error"):
            await emit(EventType.ERROR, result["error"])
        await chat_repository.finish_run(self._pool, run_id, status, result)
        await emit(
            EventType.DONE,
            {"run_id": run_id, "status": status, **{k: v for k, v in result.items() if k != "error"}},
        )

    async def _resume(self, row: dict[str, Any], emit: Emit) -> str:
        decision = decision_of(row)
        caller = Caller(
            id=row["requester_id"],
            email=row["requester_email"],
            display_name=row["requester_name"],
            roles=[],
            token="",
        )
        outcome = await self._agents.resume_robot_request(row["checkpoint_key"], decision, caller, emit)
        return outcome.answer

    async def _follow(self, job_id: str, emit: Emit, language: Language) -> str:
        seen = 0
        while True:
            for transition in await repository.transitions(self._pool, job_id):
                if transition["seq"] <= seen:
                    continue
                seen = transition["seq"]
                job = await repository.get_job(self._pool, job_id)
                assert job is not None
                await emit(EventType.JOB, _job_event(job, transition, language))
                if transition["status"] in TERMINAL:
                    return closing(job, language)
            await self._watch.wait(job_id, FOLLOW_POLL_SECONDS)


def decision_of(row: dict[str, Any]) -> dict[str, Any]:
    """What the paused robot request is resumed with (`Command(resume=...)`), from its approval row."""
    return {
        "status": row["status"],
        "approver_name": row["approver_name"],
        "reason": row["reason"],
        "job_id": row["job_id"],
        "approval_id": row["id"],
    }


def chat_launch(
    run_id: str, row: dict[str, Any], job: dict[str, Any] | None, answer: str, language: Language = "fr"
) -> Launch:
    """The resumed run of a chat's robot request, for the audit trail."""
    spec = RobotSpec.model_validate(row["robot_spec"])
    requester = person(row, "requester")
    assert requester is not None
    origin: dict[str, Any] = {
        "kind": "chat", "request": {"robot": spec.id, "robot_name": spec.name}, "decision": decision_of(row),
    }  # fmt: skip
    if language != "fr":  # the replay tells it in the same language (a French one, as recorded before)
        origin["language"] = language
    return Launch(
        run_id=run_id, caller=requester | {"roles": [], "service": None},
        actor={"kind": "user", **requester},
        approval=approval_record(row),
        robot={"id": spec.id, "name": spec.name, "version": row["robot_version"],
               "digest": row["robot_digest"]},
        inputs=row["inputs"], digest=row["digest"], job=job_record(job),
        origin=origin,
        outcome={"answer": answer}, now=datetime.now(UTC),
    )  # fmt: skip


def _job_event(job: dict[str, Any], transition: dict[str, Any], language: Language) -> dict[str, Any]:
    return {
        "job_id": job["id"],
        "approval_id": job["approval_id"],
        "robot": job["robot_id"],
        "status": transition["status"],
        "detail": transition_shown(transition, language)["detail"],
        "at": transition["at"].isoformat(),
        "artifacts": job["artifacts"],
        "outputs": job["outputs"],
        "error": job["error"],
    }


def closing(job: dict[str, Any], language: Language = "fr") -> str:
    """The last words of the resumed run once the job ended (shared with the audit's replay)."""
    if job["status"] == "succeeded":
        files = ", ".join(
            name.rsplit("/", 1)[-1] for name in job["artifacts"] if name.startswith("artefacts/")
        )
        files = files or MESSAGES.text("robot.no_files", language)
        return "\n\n" + MESSAGES.text("robot.succeeded", language, files=files)
    error = error_shown(job["error"], language) or {}
    detail = error.get("detail", MESSAGES.text("robot.failure", language))
    return "\n\n" + MESSAGES.text("robot.failed", language, detail=detail)
