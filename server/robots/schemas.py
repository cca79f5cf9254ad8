"""Shapes of the robots API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class ApprovalStatus(StrEnum):
    """Where an approval is."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"


class JobStatus(StrEnum):
    """Where a job is."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Person(BaseModel):
    """A user as shown on a card."""

    id: str
    email: str
    display_name: str


class Approval(BaseModel):
    """An approval request: the exact call (robot, inputs, digest), who asked, who decided."""

    id: str
    robot_id: str
    robot_name: str
    robot_version: int
    robot_digest: str | None = Field(
        None, description="SHA-256 of the robot's definition the request was made against."
    )
    risk: str
    service: str
    approvers: str
    approver_names: list[str] = Field(default_factory=list)
    inputs: dict[str, Any]
    digest: str
    status: ApprovalStatus
    requester: Person
    approver: Person | None
    reason: str | None
    run_id: str | None
    thread_id: str | None
    resumed_run_id: str | None
    job_id: str | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    may_decide: bool = False


class Decision(BaseModel):
    """`POST /api/approvals/{id}/reject` (and optionally approve): a reason for the requester."""

    reason: str | None = Field(None, max_length=500)


class JobTransition(BaseModel):
    """One status change of a job."""

    seq: int
    status: JobStatus
    detail: str
    at: datetime


class Job(BaseModel):
    """A robot job: status, outputs, artifacts (download names), error; the log is separate."""

    id: str
    approval_id: str
    robot_id: str
    robot_name: str
    runner: str
    status: JobStatus
    inputs: dict[str, Any]
    digest: str
    external_id: str | None
    outputs: dict[str, Any]
    artifacts: list[str]
    error: dict[str, Any] | None
    requester: Person
    thread_id: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    transitions: list[JobTransition] = Field(default_factory=list)


class Activity(BaseModel):
    """`GET /api/activity`: my requests, the approvals I may give, the jobs I may see."""

    requests: list[Approval]
    to_decide: list[Approval]
    jobs: list[Job]


class RobotChangeStatus(StrEnum):
    """Where a proposed robot definition is."""

    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


class RobotChange(BaseModel):
    """A robot definition proposed by a tool developer.

    It is active only once the robot's owner service and the security officer (two people, neither the
    proposer) approved it.
    """

    id: str
    robot_id: str
    spec: dict[str, Any]
    digest: str = Field(description="SHA-256 of the proposed definition (what approvers read).")
    current_digest: str | None = Field(description="SHA-256 of the definition in force (None: new robot).")
    owner_service: str = Field(description="Service whose manager approves (the robot's service in force).")
    proposed_by: str
    status: RobotChangeStatus
    owner_approved_by: str | None
    security_approved_by: str | None
    rejected_by: str | None
    reason: str | None
    created_at: datetime
    decided_at: datetime | None
    may_approve: bool = Field(False, description="The caller may fill a slot still open.")
