"""`/api/governance/...`: the map of AI systems and each system's sheet."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from server.auth.roles import Role
from server.auth.schemas import User
from server.deps import require_roles
from server.governance.schemas import SheetIn, SystemDetail, SystemMap
from server.governance.service import SystemsService

router = APIRouter(prefix="/api/governance", tags=["governance"])

READERS = (Role.AI_ADMIN, Role.SECURITY, Role.AUDITOR, Role.DIRECTION)
Reader = Annotated[User, Depends(require_roles(*READERS))]
Editor = Annotated[User, Depends(require_roles(Role.AI_ADMIN))]


def _systems(request: Request) -> SystemsService:
    service: SystemsService = request.app.state.governance.systems
    return service


Systems = Annotated[SystemsService, Depends(_systems)]


@router.get("/systems")
async def systems_map(_: Reader, systems: Systems) -> SystemMap:
    """Every AI system: what Ariane knows, the sheet people completed, risk level, last scores, flags."""
    return await systems.map()


@router.get("/systems/{system_id}")
async def system_sheet(system_id: str, _: Reader, systems: Systems) -> SystemDetail:
    """One system's sheet with its history (changes, versions, evaluations, alerts)."""
    return await systems.system(system_id)


@router.patch("/systems/{system_id}")
async def edit_sheet(system_id: str, body: SheetIn, user: Editor, systems: Systems) -> SystemDetail:
    """Change fields of a system's sheet (AI administrators); the change is kept in its history."""
    return await systems.update(user, system_id, body)
