"""Output shapes of the robots MCP server (the SDK validates results against them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class RobotSummary(BaseModel):
    """A robot as listed."""

    id: str
    name: str
    description: str
    service: str
    risk: str
    runner: str
    keywords: list[str]
    may_request: bool


class RobotList(BaseModel):
    """`list_robots`."""

    robots: list[RobotSummary]


class RobotDetail(RobotSummary):
    """`describe_robot`: the input schema and who may approve."""

    input_schema: dict[str, Any]
    outputs: list[str]
    requesters: str
    approvers: str


class ApprovalRequest(BaseModel):
    """`trigger_robot`: what the approver will be shown and what the approval binds."""

    status: str
    robot: str
    robot_name: str
    robot_version: int
    inputs: dict[str, Any]
    canonical_inputs: str
    digest: str
    requester: str
    approvers: str
    risk: str
    expires_at: datetime


class JobView(BaseModel):
    """`get_job`."""

    id: str
    approval_id: str
    robot_id: str
    runner: str
    status: str
    inputs: dict[str, Any]
    digest: str
    external_id: str | None
    outputs: dict[str, Any]
    artifacts: list[str]
    error: dict[str, Any] | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
