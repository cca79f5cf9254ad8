"""`/api/governance/...`: the map of AI systems and each system's sheet."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from server.auth.roles import Role
from server.auth.schemas import User
from server.deps import CurrentUser, require_roles
from server.governance.schemas import (
    Alert,
    CollectionQuality,
    EvaluationPoint,
    EvaluationRequest,
    SheetIn,
    SystemDetail,
    SystemMap,
)
from server.governance.service import SystemsService
from server.governance.work import EVALUATION
from server.work import enqueue

router = APIRouter(prefix="/api/governance", tags=["governance"])

READERS = (Role.AI_ADMIN, Role.SECURITY, Role.AUDITOR, Role.DIRECTION)
Reader = Annotated[User, Depends(require_roles(*READERS))]
Editor = Annotated[User, Depends(require_roles(Role.AI_ADMIN))]


def _systems(request: Request) -> SystemsService:
    service: SystemsService = request.app.state.governance.systems
    return service


Systems = Annotated[SystemsService, Depends(_systems)]


@router.get("/systems")
async def systems_map(user: Reader, systems: Systems) -> SystemMap:
    """Every AI system: what Ariane knows, the sheet people completed, risk level, last scores, flags."""
    return await systems.map(user.language)


@router.get("/systems/{system_id}")
async def system_sheet(system_id: str, user: Reader, systems: Systems) -> SystemDetail:
    """One system's sheet with its history (changes, versions, evaluations, alerts)."""
    return await systems.system(system_id, user.language)


@router.patch("/systems/{system_id}")
async def edit_sheet(system_id: str, body: SheetIn, user: Editor, systems: Systems) -> SystemDetail:
    """Change fields of a system's sheet (AI administrators); the change is kept in its history."""
    return await systems.update(user, system_id, body)


@router.get("/systems/{system_id}/evaluations")
async def system_evaluations(system_id: str, user: Reader, systems: Systems) -> list[EvaluationPoint]:
    """A system's evaluation runs, oldest first: its drift chart (scores, floors, what changed)."""
    return await systems.evaluations(system_id, user.language)


@router.get("/alerts")
async def score_alerts(
    _: Reader, systems: Systems, open_only: Annotated[bool, Query(alias="open")] = False
) -> list[Alert]:
    """Score alerts (below floor, or a drop beyond the margin), newest first."""
    return await systems.alerts(open_only)


@router.get("/quality")
async def knowledge_quality(_: Reader, systems: Systems) -> list[CollectionQuality]:
    """Data quality of each knowledge collection: past review, duplicates, pages without text, never cited."""
    return await systems.quality()


@router.get("/alerts/mine")
async def my_alerts(user: CurrentUser, systems: Systems) -> list[Alert]:
    """Open score alerts sent to me (owner of the system, AI administrator): Activité shows them."""
    return await systems.my_alerts(user)


@router.post("/evaluations", status_code=202)
async def request_evaluation(request: Request, user: Editor) -> EvaluationRequest:
    """Queue an evaluation run of the configuration in service now (a worker runs it)."""
    item = await enqueue(
        request.app.state.context.pool,
        EVALUATION,
        {"reason": "requested", "change": {"by": user.email}},
    )
    return EvaluationRequest(work_item=item)


@router.get("/pack", response_class=Response)
async def certification_pack(request: Request, user: Reader) -> Response:
    """The certification pack: one self-contained HTML file, dated and signed with the audit anchor key."""
    from server.audit.runtime import anchor_book
    from server.governance.pack import build_pack

    context = request.app.state.context
    book = anchor_book(context.settings, context.pool)
    html = await build_pack(request.app.state.governance, context.pool, book, user)
    return Response(
        content=html,
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="dossier-certification-ia.html"'},
    )
