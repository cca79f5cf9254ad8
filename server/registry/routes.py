"""`/api/tools/...`: the MCP tool registry, for tool developers and AI administrators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from server.auth.roles import Role
from server.auth.schemas import User
from server.deps import require_roles
from server.registry.runtime import RegistryRuntime
from server.registry.schemas import ApproveIn, CheckOut, PermissionsIn, RegisterIn, ServerOut, ServerSummary
from server.registry.service import RegistrationError, RegistryService
from server.registry.views import finding_out

router = APIRouter(prefix="/api/tools", tags=["registry"])

Developer = Annotated[User, Depends(require_roles(Role.TOOL_DEVELOPER, Role.AI_ADMIN))]
Admin = Annotated[User, Depends(require_roles(Role.AI_ADMIN))]


def _registry(request: Request) -> RegistryService:
    runtime: RegistryRuntime = request.app.state.registry
    return runtime.registry


Registry = Annotated[RegistryService, Depends(_registry)]

_REFUSED: dict[int | str, dict[str, Any]] = {
    400: {"description": "`invalid_url`, `command_not_allowed`: nothing was recorded."},
    409: {"description": "`tool_server_exists`: the name is taken."},
}
_INSPECTION_REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"description": "`self_approval`: the registrant cannot review their own declaration."},
    409: {
        "description": "`not_pending_review`, `sandbox_unavailable`, `package_not_installed`, "
        "`package_changed`, `no_entry_point`, `command_not_allowed`: nothing was started."
    },
    422: {
        "description": "`server_unreachable`, `server_timeout`, `server_error`, `no_tools` or "
        "`invalid_tool_contract` (with `findings`): the server stays waiting for review."
    },
}


@router.get("")
async def list_servers(_: Developer, registry: Registry) -> list[ServerSummary]:
    """Every tool server of the registry (built-in ones first), with its status and health."""
    return await registry.servers()


@router.post("", status_code=201, responses=_REFUSED)
async def register(user: Developer, registry: Registry, body: RegisterIn) -> ServerOut:
    """Declare an MCP server (URL, package and version, or allow-listed command): `pending_review`.

    Nothing is started, fetched or contacted before an administrator reviews it (`inspect`).
    """
    return await registry.register(body, user)


@router.post("/{name}/inspect", responses=_INSPECTION_REFUSED, response_model=ServerOut)
async def inspect(admin: Admin, registry: Registry, name: str) -> ServerOut | JSONResponse:
    """Start the reviewed declaration in its sandbox (or reach its URL), list and check its tools."""
    try:
        return await registry.inspect(name, admin)
    except RegistrationError as error:
        shown = [finding_out(finding, admin.language) for finding in error.findings]
        findings = [finding.model_dump(mode="json") for finding in shown]
        detail = error.text.render(admin.language) if error.text is not None else error.detail
        return JSONResponse(
            {"error": error.code, "detail": detail, "findings": findings}, status_code=error.status_code
        )


@router.get("/{name}")
async def show(user: Developer, registry: Registry, name: str) -> ServerOut:
    """A server with its tools: definitions, findings, pins and the diff of a changed definition."""
    return await registry.server(name, user.language)


@router.post("/{name}/approve")
async def approve(admin: Admin, registry: Registry, name: str, body: ApproveIn | None = None) -> ServerOut:
    """Approve an inspected server (an administrator other than its registrant).

    Its tools are pinned and active, each with the reviewer's judgement (not read-only: every call
    waits for the user's confirmation).
    """
    return await registry.approve(name, admin, body)


@router.post("/{name}/suspend")
async def suspend(user: Developer, registry: Registry, name: str) -> ServerOut:
    """Suspend a server until it is approved again (administrators, or its registrant)."""
    return await registry.suspend(name, user)


@router.post("/{name}/check")
async def check(user: Developer, registry: Registry, name: str) -> CheckOut:
    """Health check now: connect, list the tools, suspend those whose definition left its pin."""
    return await registry.check(name, user.email, user.language)


@router.put("/{name}/permissions")
async def permissions(admin: Admin, registry: Registry, name: str, body: PermissionsIn) -> ServerOut:
    """Set who may use the server's tools (or one tool's), confirmation and limits."""
    return await registry.set_permissions(name, body, admin)


@router.delete("/{name}", status_code=204)
async def remove(user: Developer, registry: Registry, name: str) -> Response:
    """Remove a registered server (administrators, or its registrant); built-in ones are only suspended."""
    await registry.remove(name, user)
    return Response(status_code=204)
