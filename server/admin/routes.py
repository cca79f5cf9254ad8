"""`/api/admin/...`: the gateway's catalogue, policy, service keys and usage, for AI administrators."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from server.admin.schemas import (
    Catalogue,
    PolicyCheck,
    PolicyIn,
    PolicyOut,
    PolicyVersion,
    ServiceKeyCreated,
    ServiceKeyIn,
    ServiceKeyOut,
    Usage,
)
from server.admin.service import AdminService
from server.auth.roles import Role
from server.auth.schemas import User
from server.deps import require_roles
from server.gateway.policy import PolicyError
from server.messages import MESSAGES

router = APIRouter(prefix="/api/admin", tags=["admin"])

Admin = Annotated[User, Depends(require_roles(Role.AI_ADMIN))]


def _service(request: Request) -> AdminService:
    return AdminService(request.app.state.gateway)


Service = Annotated[AdminService, Depends(_service)]

_INVALID: dict[int | str, dict[str, Any]] = {
    400: {"description": "`invalid_policy`: `errors` lists each problem."}
}


@router.get("/gateway/catalogue")
async def catalogue(_: Admin, service: Service) -> Catalogue:
    """The model catalogue in force and which models are configured."""
    return await service.catalogue()


@router.get("/gateway/policy")
async def policy(_: Admin, service: Service) -> PolicyOut:
    """The policy in force: the repository's file (version 0) or the newest saved version."""
    return await service.policy()


@router.post("/gateway/policy/validate")
async def validate_policy(admin: Admin, service: Service, proposal: PolicyIn) -> PolicyCheck:
    """Validate a proposed policy and show its diff against the one in force; nothing is saved.

    The problems are in the caller's language (`Accept-Language`; French by default), each with its
    path and line.
    """
    return await service.check(proposal.document, admin.language)


@router.put("/gateway/policy", responses=_INVALID, response_model=PolicyVersion)
async def save_policy(admin: Admin, service: Service, proposal: PolicyIn) -> PolicyVersion | JSONResponse:
    """Save and put in force a new version (validated; author, time and diff recorded)."""
    try:
        return await service.save(proposal, admin)
    except PolicyError as error:
        return JSONResponse(
            {
                "error": "invalid_policy",
                "detail": MESSAGES.text("policy.invalid_saved", admin.language),
                "errors": error.errors_in(admin.language),
                "issues": [
                    {"path": list(issue.path), "message": issue.render(admin.language), "line": issue.line}
                    for issue in error.issues
                ],
            },
            status_code=400,
        )


@router.get("/gateway/policy/history")
async def policy_history(_: Admin, service: Service) -> list[PolicyVersion]:
    """Saved versions, newest first, each with its author, time, comment and diff."""
    return await service.history()


@router.get("/gateway/policy/versions/{version}")
async def policy_version(_: Admin, service: Service, version: int) -> PolicyVersion:
    """One saved version with its whole document."""
    return await service.version(version)


@router.get("/gateway/service-keys")
async def service_keys(_: Admin, service: Service) -> list[ServiceKeyOut]:
    """Every service key (the keys themselves are never shown again)."""
    return await service.keys()


@router.post("/gateway/service-keys", status_code=201)
async def create_service_key(admin: Admin, service: Service, request: ServiceKeyIn) -> ServiceKeyCreated:
    """Create a service key scoped to models, assistants and data classes; the key is shown once."""
    return await service.create_key(request, admin)


@router.delete("/gateway/service-keys/{key_id}")
async def revoke_service_key(admin: Admin, service: Service, key_id: UUID) -> ServiceKeyOut:
    """Revoke a service key."""
    return await service.revoke_key(str(key_id), admin)


@router.get("/usage")
async def usage(_: Admin, service: Service, days: Annotated[int, Query(ge=1, le=366)] = 30) -> Usage:
    """Gateway usage of the last `days` days by user, service, job category, model and day."""
    return await service.usage(days)
