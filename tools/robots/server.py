"""The robots MCP server: the catalogue, launch requests (always through an approval) and jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult, ToolAnnotations

from tools.mcp_common import READ_ONLY, CallerSource, JsonObject, ToolFailure, language_of, tool_result
from tools.robots.access import RobotsBackend
from tools.robots.catalogue import RobotSpec, canonical_inputs, input_problems, inputs_digest
from tools.robots.schemas import ApprovalRequest, JobView, RobotDetail, RobotList
from tools.robots.texts import TEXTS

# It asks for a launch that changes other systems once approved, hence destructive; it starts nothing.
REQUESTS_LAUNCH = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True
)


def _summary(spec: RobotSpec, may_request: bool) -> JsonObject:
    return {
        "id": spec.id,
        "name": spec.name,
        "description": spec.description,
        "service": spec.service,
        "risk": spec.risk.value,
        "runner": spec.runner.value,
        "keywords": spec.keywords,
        "may_request": may_request,
    }


async def _robot(backend: RobotsBackend, token: str, robot: str) -> RobotSpec:
    spec = await backend.api.robot(token, robot) if robot.strip() else None
    if spec is None or not spec.enabled:
        known = ", ".join(s.id for s in await backend.api.robots(token) if s.enabled)
        raise ToolFailure("not_found", TEXTS("unknown", robot=robot, known=known))
    return spec


def build_server(backend: RobotsBackend, callers: CallerSource) -> MCPServer[Any]:
    """The server's tools, for the caller `callers` finds in each request."""
    server: MCPServer[Any] = MCPServer(
        "robots",
        title="Robots",
        instructions="Robots RPA du CHRU : catalogue, demandes de lancement (soumises à validation), suivi.",
        log_level="WARNING",
    )

    @server.tool(annotations=READ_ONLY)
    async def list_robots(ctx: Context) -> Annotated[CallToolResult, RobotList]:
        """List the robots of the catalogue, with whether the user may ask for each."""

        async def work() -> JsonObject:
            token = callers.of(ctx).token
            user = await backend.api.me(token)
            specs = [s for s in await backend.api.robots(token) if s.enabled]
            return {"robots": [_summary(s, s.requesters.admits(user.roles, user.service)) for s in specs]}

        return await tool_result(work, language_of(ctx))

    @server.tool(annotations=READ_ONLY)
    async def describe_robot(robot: str, ctx: Context) -> Annotated[CallToolResult, RobotDetail]:
        """Describe one robot: its input schema (what `trigger_robot` needs), outputs, who approves."""

        async def work() -> JsonObject:
            token = callers.of(ctx).token
            user = await backend.api.me(token)
            spec = await _robot(backend, token, robot)
            return _summary(spec, spec.requesters.admits(user.roles, user.service)) | {
                "input_schema": spec.input_schema,
                "outputs": spec.outputs,
                "requesters": spec.requesters.label(),
                "approvers": spec.approvers.label(),
            }

        return await tool_result(work, language_of(ctx))

    @server.tool(annotations=REQUESTS_LAUNCH)
    async def trigger_robot(
        robot: str, inputs: dict[str, Any], ctx: Context
    ) -> Annotated[CallToolResult, ApprovalRequest]:
        """Ask for a robot launch with `inputs` (see describe_robot). Nothing runs yet.

        The result is an approval request: a manager allowed for the robot's service must approve these
        exact inputs before the robot runs, once. Tell the user who will approve it.
        """

        async def work() -> JsonObject:
            caller = callers.of(ctx)
            user = await backend.api.me(caller.token)
            spec = await _robot(backend, caller.token, robot)
            problems = input_problems(spec, inputs)
            if problems:  # the validator's own words (JSON Schema's English) are quoted as they are
                errors = " ; ".join(problem.render(caller.language) for problem in problems)
                raise ToolFailure("invalid_inputs", TEXTS("invalid_inputs", errors=errors))
            if not spec.requesters.admits(user.roles, user.service):
                people = spec.requesters.people(caller.language)
                raise ToolFailure("access_denied", TEXTS("access_denied", robot=spec.name, people=people))
            expires = caller.now + timedelta(minutes=backend.approval_ttl_minutes)
            return {
                "status": "approval_required",
                "robot": spec.id,
                "robot_name": spec.name,
                "robot_version": spec.version,
                "inputs": inputs,
                "canonical_inputs": canonical_inputs(inputs),
                "digest": inputs_digest(spec.id, inputs),
                "requester": user.email,
                "approvers": spec.approvers.label(),
                "risk": spec.risk.value,
                "expires_at": expires.isoformat(),
            }

        return await tool_result(work, language_of(ctx))

    @server.tool(annotations=READ_ONLY)
    async def get_job(job: str, ctx: Context) -> Annotated[CallToolResult, JobView]:
        """Get a robot job: status, outputs, artifacts, error. Only people concerned may see it."""

        async def work() -> JsonObject:
            # The API answers only for a job the caller may see (requester, approver, auditor…).
            found = await backend.api.job(callers.of(ctx).token, job) if job.strip() else None
            if found is None:
                raise ToolFailure("not_found", TEXTS("job_unknown", job=job))
            return JobView.model_validate(found).model_dump(mode="json")

        return await tool_result(work, language_of(ctx))

    return server
