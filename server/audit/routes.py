"""`/api/audit`: runs, their detail, verification, replay and exports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from server.audit.schemas import ExportFormat, ReplayRequest, RunFilters, RunSummary, VerifyOut
from server.audit.service import AuditService
from server.deps import CurrentUser

router = APIRouter(prefix="/api/audit", tags=["audit"])


def _audit(request: Request) -> AuditService:
    service: AuditService = request.app.state.audit
    return service


Audit = Annotated[AuditService, Depends(_audit)]


@router.get("/runs")
async def list_runs(
    user: CurrentUser, audit: Audit, filters: Annotated[RunFilters, Query()]
) -> list[RunSummary]:
    """Recorded runs, newest first: all of them for an auditor, one's own otherwise."""
    return await audit.runs(user, filters)


@router.get("/runs/{run_id}")
async def get_run(user: CurrentUser, audit: Audit, run_id: str) -> dict[str, Any]:
    """A run: summary, spans, steps with inputs and outputs, policy decisions, approvals."""
    return await audit.run(user, run_id)


@router.get("/runs/{run_id}/verify")
async def verify_run(user: CurrentUser, audit: Audit, run_id: str) -> VerifyOut:
    """Recompute the run's digests and links."""
    return VerifyOut.model_validate((await audit.verify(user, run_id)).as_dict())


@router.get("/verify")
async def verify_store(user: CurrentUser, audit: Audit) -> VerifyOut:
    """Recompute the whole store's chains and check the anchors (auditor)."""
    return VerifyOut.model_validate((await audit.verify(user, None)).as_dict())


@router.post("/runs/{run_id}/replay")
async def replay_run(user: CurrentUser, audit: Audit, run_id: str, body: ReplayRequest) -> dict[str, Any]:
    """Replay exactly (« identique » or the first divergence), or what-if with another model."""
    return await audit.replay(user, run_id, body.model)


@router.get("/runs/{run_id}/export")
async def export_run(
    user: CurrentUser, audit: Audit, run_id: str, format: ExportFormat = "bundle"
) -> dict[str, Any]:
    """The run as a JSON evidence bundle, or its spans as OTLP JSON."""
    return await audit.export(user, run_id, format)
