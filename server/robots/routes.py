"""`/api/robots`, `/api/approvals`, `/api/jobs`, `/api/activity`."""

from __future__ import annotations

import mimetypes
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse, Response

from server.auth.roles import Role
from server.auth.schemas import User
from server.deps import Context, CurrentUser, DbPool, require_roles
from server.errors import ApiError, NotFoundError
from server.messages import MESSAGES
from server.robots import catalogue_repository as catalogue
from server.robots.definitions import RobotDefinitions
from server.robots.schemas import Activity, Approval, Decision, Job, RobotChange
from server.robots.service import RobotsService
from tools.robots.catalogue import RobotSpec

router = APIRouter(prefix="/api", tags=["robots"])


def _robots(context: Context) -> RobotsService:
    service = context.robots
    if service is None:
        raise NotFoundError(MESSAGES("robots.disabled"), code="robots_disabled")
    return service


Robots = Annotated[RobotsService, Depends(_robots)]
ToolDeveloper = Annotated[User, Depends(require_roles(Role.TOOL_DEVELOPER))]


@router.get("/robots")
async def list_robots(user: CurrentUser, pool: DbPool) -> list[RobotSpec]:
    """The robot catalogue."""
    return await catalogue.list_robots(pool)


@router.get("/robots/{robot_id}")
async def get_robot(user: CurrentUser, pool: DbPool, robot_id: str) -> RobotSpec:
    """One robot's definition."""
    spec = await catalogue.get_robot(pool, robot_id)
    if spec is None:
        raise NotFoundError(MESSAGES("robots.unknown", robot=robot_id), code="robot_not_found")
    return spec


@router.put("/robots/{robot_id}", status_code=202)
async def save_robot(user: ToolDeveloper, pool: DbPool, robot_id: str, body: RobotSpec) -> RobotChange:
    """Propose a new or changed robot (tool developers).

    It waits for the approval of the robot's owner service and of the security officer, then becomes
    the robot's next version.
    """
    if body.id != robot_id:
        raise ApiError(MESSAGES("robots.id_mismatch"), code="robot_id_mismatch")
    return await RobotDefinitions(pool).propose(user, body)


@router.get("/robots/{robot_id}/changes")
async def robot_changes(user: CurrentUser, pool: DbPool, robot_id: str) -> list[RobotChange]:
    """A robot's proposed definitions, newest first, with their approvals."""
    return await RobotDefinitions(pool).list_for(user, robot_id)


@router.get("/robot-changes")
async def changes_to_approve(user: CurrentUser, pool: DbPool) -> list[RobotChange]:
    """Pending robot definitions the caller may approve (owner service manager or security officer)."""
    return await RobotDefinitions(pool).list_for(user)


@router.post("/robot-changes/{change_id}/approve")
async def approve_change(user: CurrentUser, pool: DbPool, change_id: str) -> RobotChange:
    """Approve a proposed definition for one's part; the second distinct approval makes it active."""
    return await RobotDefinitions(pool).approve(user, change_id)


@router.post("/robot-changes/{change_id}/reject")
async def reject_change(
    user: CurrentUser, pool: DbPool, change_id: str, body: Decision | None = None
) -> RobotChange:
    """Reject a proposed definition, with an optional reason."""
    return await RobotDefinitions(pool).reject(user, change_id, body.reason if body else None)


@router.get("/approvals")
async def list_approvals(
    user: CurrentUser,
    robots: Robots,
    thread_id: Annotated[str | None, Query(description="Approvals asked from this thread of mine.")] = None,
) -> list[Approval]:
    """Approvals to give (default), or those asked from one of my threads."""
    if thread_id is not None:
        return await robots.approvals_of_thread(user, thread_id)
    return (await robots.activity(user)).to_decide


@router.get("/approvals/{approval_id}")
async def get_approval(user: CurrentUser, robots: Robots, approval_id: str) -> Approval:
    """One approval: the exact inputs, their digest, the requester and the decision."""
    return await robots.approval_for(user, approval_id)


@router.post("/approvals/{approval_id}/approve")
async def approve(
    user: CurrentUser, robots: Robots, approval_id: str, body: Decision | None = None
) -> Approval:
    """Approve: the robot runs once with exactly these inputs (a repeated approval changes nothing)."""
    return await robots.decide(user, approval_id, True, body.reason if body else None)


@router.post("/approvals/{approval_id}/reject")
async def reject(
    user: CurrentUser, robots: Robots, approval_id: str, body: Decision | None = None
) -> Approval:
    """Reject, with an optional reason the requester will read."""
    return await robots.decide(user, approval_id, False, body.reason if body else None)


@router.get("/activity")
async def activity(user: CurrentUser, robots: Robots) -> Activity:
    """My requests, the approvals I may give, the jobs I may see."""
    return await robots.activity(user)


@router.get("/jobs/{job_id}")
async def get_job(user: CurrentUser, robots: Robots, job_id: str) -> Job:
    """A job with its transitions."""
    return (await robots.job_for(user, job_id))[0]


@router.get("/jobs/{job_id}/log", response_class=PlainTextResponse)
async def job_log(user: CurrentUser, robots: Robots, job_id: str) -> PlainTextResponse:
    """The runner's console log of a job (tail)."""
    _, row = await robots.job_for(user, job_id)
    return PlainTextResponse(row["log"] or "")


@router.get(
    "/jobs/{job_id}/artifacts/{name:path}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The file."}},
)
async def job_artifact(user: CurrentUser, robots: Robots, job_id: str, name: str) -> Response:
    """Download one artifact of a job (output files, `output.xml`, `log.html`), from any replica."""
    content = await robots.artifact(user, job_id, name)
    filename = name.rsplit("/", 1)[-1]
    media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    disposition = f"attachment; filename*=utf-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
