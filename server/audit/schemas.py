"""Shapes of `/api/audit`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from server.contract import IsoDateTime


class RunFilters(BaseModel):
    """Filters of the runs list."""

    user: str | None = None
    assistant: str | None = None
    since: IsoDateTime | None = None
    until: IsoDateTime | None = None
    model: str | None = None
    tool: str | None = None
    refusals: bool = False
    approvals: bool = False
    limit: int = Field(50, ge=1, le=500)


class RunSummary(BaseModel):
    """One run in the list."""

    run_id: str
    trace_id: str
    user_id: str
    user_email: str
    user_name: str
    assistant_id: str
    assistant_version: int
    workflow: str | None
    started_at: str
    status: str
    models: list[str]
    tools: list[str]
    refusals: int
    policy_version: int | None = None
    question: str | None = Field(
        None, description="The user's message as recorded (redacted; none when content is not captured)."
    )


class ReplayRequest(BaseModel):
    """`POST /api/audit/runs/{id}/replay`: exact, or what-if with another model."""

    model: str | None = Field(None, min_length=1, max_length=200)


ExportFormat = Literal["bundle", "otlp"]


class VerifyOut(BaseModel):
    """A verification report."""

    ok: bool
    scope: str
    records: int
    anchors: int
    problems: list[dict[str, Any]]
