"""Approvals bound to the exact call, and who may see or decide what."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from opentelemetry import trace

from agents.turn import TurnRequest
from server.auth.roles import Role
from server.auth.schemas import User
from server.errors import ApiError, ForbiddenError, NotFoundError
from server.messages import MESSAGES
from server.robots import catalogue_repository as catalogue
from server.robots import repository
from server.robots.approvers import ApproverNames
from server.robots.artifacts import ArtifactStore
from server.robots.followup import DecisionReporter
from server.robots.job_texts import error_shown, reason_shown, transition_shown
from server.robots.queueing import enqueue_job
from server.robots.schemas import Activity, Approval, ApprovalStatus, Job, JobTransition, Person
from tools.database import Pool, is_uuid
from tools.i18n import Language
from tools.robots.catalogue import BROAD_ROLES, RobotSpec, definition_digest, input_errors, inputs_digest

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("ariane.robots")


class ApprovalConflictError(ApiError):
    """The approval can no longer be decided (expired, or decided the other way)."""

    status_code = 409
    code = "approval_closed"


def may_see_job(user: User, job: dict[str, Any], spec: RobotSpec) -> bool:
    """The requester, the approver, whoever may approve this robot, and auditors see a job."""
    if user.id in {job.get("requester_id"), job.get("approver_id")} or user.has_any(Role.AUDITOR):
        return True
    return spec.approvers.admits([str(r) for r in user.roles], user.service)


def _approves(spec: RobotSpec, user: User) -> bool:
    """The user may decide launches of `spec`; an audience everyone belongs to admits no one."""
    if BROAD_ROLES & set(spec.approvers.roles):
        return False
    return spec.approvers.admits([str(r) for r in user.roles], user.service)


def _requester_of(row: dict[str, Any]) -> Person:
    return Person(id=row["requester_id"], email=row["requester_email"], display_name=row["requester_name"])


def approval_view(row: dict[str, Any], user: User | None = None, names: list[str] | None = None) -> Approval:
    """The API shape of an approval row; `may_decide` for this user."""
    spec = RobotSpec.model_validate(row["robot_spec"])
    approver = None
    if row["approver_id"]:
        approver = Person(
            id=row["approver_id"], email=row["approver_email"], display_name=row["approver_name"]
        )
    may_decide = bool(
        user is not None
        and row["status"] == "pending"
        and user.id != row["requester_id"]
        and _approves(spec, user)
    )
    return Approval(
        id=row["id"], robot_id=spec.id, robot_name=spec.name, robot_version=row["robot_version"],
        robot_digest=row["robot_digest"], risk=spec.risk.value,
        service=spec.service, approvers=spec.approvers.label(), approver_names=names or [],
        inputs=row["inputs"], digest=row["digest"],
        status=ApprovalStatus(row["status"]),
        requester=_requester_of(row),
        approver=approver, reason=reason_shown(row["reason"], user.language if user else "fr"),
        run_id=row["run_id"], thread_id=row["thread_id"],
        resumed_run_id=row["resumed_run_id"], job_id=row["job_id"], created_at=row["created_at"],
        expires_at=row["expires_at"], decided_at=row["decided_at"], may_decide=may_decide,
    )  # fmt: skip


def job_view(row: dict[str, Any], language: Language, transitions: list[dict[str, Any]] | None = None) -> Job:
    """The API shape of a job row, what it says of itself in the reader's language."""
    spec = RobotSpec.model_validate(row["robot_spec"])
    return Job(
        id=row["id"], approval_id=row["approval_id"], robot_id=row["robot_id"], robot_name=spec.name,
        runner=row["runner"], status=row["status"], inputs=row["inputs"], digest=row["digest"],
        external_id=row["external_id"], outputs=row["outputs"],
        artifacts=row["artifacts"], error=error_shown(row["error"], language),
        requester=_requester_of(row),
        thread_id=row["thread_id"], created_at=row["created_at"], started_at=row["started_at"],
        finished_at=row["finished_at"],
        transitions=[JobTransition.model_validate(transition_shown(t, language)) for t in transitions or []],
    )  # fmt: skip


class RobotsService:
    """Approvals and jobs of this process (one per process, built by the app's lifespan)."""

    def __init__(
        self,
        pool: Pool,
        reporter: DecisionReporter,
        ttl_minutes: int,
        artifacts: ArtifactStore,
        names: ApproverNames | None = None,
    ) -> None:
        self._names = names
        self._artifacts = artifacts
        self._pool = pool
        self._reporter = reporter
        self._ttl = ttl_minutes

    @property
    def reporter(self) -> DecisionReporter:
        """Who reports decisions in the requesters' threads (the lifespan hands it the audit trail)."""
        return self._reporter

    async def record_approval(self, turn: TurnRequest, request: dict[str, Any]) -> dict[str, Any]:
        """Record the approval a paused run asks for; the `approval_required` event's payload.

        The request comes from the robots tool; it is checked again here (robot, inputs, digest,
        requester) so that what is recorded is exactly what will run.
        """
        with tracer.start_as_current_span("approval.request") as span:
            span.set_attributes(
                {
                    "ariane.user.id": turn.caller.id,
                    "ariane.run.id": turn.run_id,
                    "ariane.robot.id": request["robot"],
                }
            )
            spec = await catalogue.get_robot(self._pool, request["robot"])
            inputs = request["inputs"]
            if (
                spec is None
                or input_errors(spec, inputs)
                or inputs_digest(spec.id, inputs) != request["digest"]
            ):
                raise ValueError("approval request does not match the catalogue")
            if not spec.requesters.admits(turn.caller.roles, turn.caller.service):
                raise ValueError("requester not allowed")
            approval_id = await repository.create_approval(self._pool, {
                "robot_id": spec.id, "robot_version": spec.version, "robot_digest": definition_digest(spec),
                "run_id": turn.run_id,
                "thread_id": turn.thread_id,
                "checkpoint_key": request["checkpoint_key"], "requester_id": turn.caller.id, "inputs": inputs,
                "digest": request["digest"], "ttl_minutes": self._ttl,
            })  # fmt: skip
            span.set_attribute("ariane.approval.id", approval_id)
        row = await repository.get_approval(self._pool, approval_id)
        assert row is not None
        return approval_view(row, names=await self._names_for(row)).model_dump(mode="json")

    async def _names_for(self, row: dict[str, Any]) -> list[str]:
        if self._names is None or row["status"] != "pending":
            return []
        return await self._names.of(RobotSpec.model_validate(row["robot_spec"]), row["requester_id"])

    async def approval_for(self, user: User, approval_id: str) -> Approval:
        """An approval the user may see: theirs, one they may decide, or any for an auditor.

        Raises:
            NotFoundError: unknown, or not visible to the user.
        """
        row = await repository.get_approval(self._pool, approval_id) if is_uuid(approval_id) else None
        if row is None or not self._may_see(user, row):
            raise NotFoundError(MESSAGES("robots.approval_not_found"), code="approval_not_found")
        return approval_view(row, user, await self._names_for(row))

    def _may_see(self, user: User, row: dict[str, Any]) -> bool:
        spec = RobotSpec.model_validate(row["robot_spec"])
        return (
            user.id in {row["requester_id"], row["approver_id"]}
            or user.has_any(Role.AUDITOR)
            or spec.approvers.admits([str(r) for r in user.roles], user.service)
        )

    async def decide(self, user: User, approval_id: str, approve: bool, reason: str | None) -> Approval:
        """Approve or reject; an approval starts its one job.

        Raises:
            NotFoundError: unknown approval.
            ForbiddenError: the requester themself, or a user without the approver role for the service.
            ApprovalConflictError: expired, or already decided otherwise. The same decision again
                changes nothing and answers the approval as it is.
        """
        row = await repository.get_approval(self._pool, approval_id) if is_uuid(approval_id) else None
        if row is None:
            raise NotFoundError(MESSAGES("robots.approval_not_found"), code="approval_not_found")
        spec = RobotSpec.model_validate(row["robot_spec"])
        if user.id == row["requester_id"]:
            raise ForbiddenError(MESSAGES("robots.self_approval"), code="self_approval")
        if not _approves(spec, user):
            raise ForbiddenError(
                MESSAGES("robots.not_an_approver", who=spec.approvers.label()), code="not_an_approver"
            )
        status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        changed = row["current_version"] != row["robot_version"] or (
            row["robot_digest"] is not None and row["robot_digest"] != definition_digest(spec)
        )
        if approve and row["status"] == "pending" and changed:
            # The robot was redefined since the request: what was asked is no longer what would run.
            raise ApprovalConflictError(
                MESSAGES("robots.changed"),
                code="robot_changed",
            )
        attributes = {
            "ariane.user.id": user.id,
            "ariane.approval.id": approval_id,
            "ariane.robot.id": spec.id,
            "ariane.approval.decision": status.value,
            "ariane.run.id": row["run_id"],  # the run that asked: the audit shows the decision with it
        }
        with tracer.start_as_current_span("approval.decide", attributes=attributes) as span:
            decided, job_id = await repository.decide(
                self._pool,
                approval_id,
                status,
                user.id,
                reason,
                spec.runner.value,
                MESSAGES("robots.job.approved"),
            )
            span.set_attribute("ariane.approval.recorded", decided)
        if not decided:
            return await self._closed(user, approval_id, status)
        if job_id is not None:
            await enqueue_job(self._pool, job_id)  # a worker runs it (the sweep queues it if this fails)
        await self._reporter.report(approval_id)
        return await self.approval_for(user, approval_id)

    async def _closed(self, user: User, approval_id: str, wanted: ApprovalStatus) -> Approval:
        for expired in await repository.expire_due(self._pool):
            await self._reporter.report(expired)  # the requester is told now, not at the next sweep
        current = await self.approval_for(user, approval_id)
        if current.status == ApprovalStatus.EXPIRED:
            raise ApprovalConflictError(MESSAGES("robots.approval_expired"), code="approval_expired")
        if current.status != wanted:
            raise ApprovalConflictError(
                MESSAGES("robots.already_decided", status=current.status.value), code="already_decided"
            )
        return current

    async def activity(self, user: User) -> Activity:
        """The Activité page: my requests, approvals I may give, jobs I may see."""
        mine = await repository.list_approvals(self._pool, requester_id=user.id)
        pending = await repository.list_approvals(self._pool, status="pending")
        jobs = [row for row in await repository.list_jobs(self._pool) if self._may_see_job(user, row)]
        return Activity(
            requests=[approval_view(row, user, await self._names_for(row)) for row in mine],
            to_decide=[view for view in (approval_view(row, user) for row in pending) if view.may_decide],
            jobs=[job_view(row, user.language) for row in jobs],
        )

    async def approvals_of_thread(self, user: User, thread_id: str) -> list[Approval]:
        """Approvals asked from one of the user's threads (chat cards)."""
        rows = await repository.list_approvals(self._pool, thread_id=thread_id) if is_uuid(thread_id) else []
        return [
            approval_view(row, user, await self._names_for(row))
            for row in rows
            if row["requester_id"] == user.id
        ]

    def _may_see_job(self, user: User, row: dict[str, Any]) -> bool:
        spec = RobotSpec.model_validate(row["robot_spec"])
        return may_see_job(user, row, spec)

    async def job_for(self, user: User, job_id: str) -> tuple[Job, dict[str, Any]]:
        """A job the user may see, with its row (log, workdir).

        Raises:
            NotFoundError: unknown, or not visible.
        """
        row = await repository.get_job(self._pool, job_id) if is_uuid(job_id) else None
        if row is None or not self._may_see_job(user, row):
            raise NotFoundError(MESSAGES("robots.job_not_found"), code="job_not_found")
        return job_view(row, user.language, await repository.transitions(self._pool, job_id)), row

    async def artifact(self, user: User, job_id: str, name: str) -> bytes:
        """The content of an artifact the job listed (kept in the shared store by the worker that ran it).

        Raises:
            NotFoundError: not a listed artifact of a job the user may see.
        """
        job, row = await self.job_for(user, job_id)
        if name not in job.artifacts:
            raise NotFoundError(MESSAGES("robots.artifact_not_found"), code="artifact_not_found")
        if row["artifacts_purged_at"] is not None:
            raise NotFoundError(
                MESSAGES("robots.artifact_expired"),
                code="artifact_expired",
            )
        content = await self._artifacts.get(job_id, name)
        if content is None and row["workdir"]:  # a job run before artifacts were kept in the database
            path = Path(row["workdir"]) / name
            content = path.read_bytes() if path.is_file() else None
        if content is None:
            raise NotFoundError(MESSAGES("robots.artifact_gone"), code="artifact_not_found")
        return content

    async def sweep(self) -> int:
        """Expire what is due, queue approved jobs not yet queued, report decisions not yet posted.

        A job is queued right after its approval; a process that died in between leaves it to this
        sweep (its work item key makes queueing it twice harmless).
        """
        await repository.expire_due(self._pool)
        for row in await repository.jobs_in(self._pool, "queued"):
            await enqueue_job(self._pool, row["id"])
        reported = 0
        for approval_id in await repository.decided_without_followup(self._pool):
            reported += await self._reporter.report(approval_id) is not None
        return reported

    async def sweep_round(self) -> None:
        """One sweep, as the periodic task `robots.sweep`."""
        await self.sweep()
