"""Robot definitions change only with two approvals: the robot's owner service and the security officer.

A tool developer proposes a definition (task, approvers, requesters, runner…); it is checked (no
approvers everyone is, a task inside the tasks folder) and waits. A manager of the robot's owner
service — the service of the definition in force, so that a proposal cannot name its own judge — or
the direction approves for the service; a security officer (`security`) approves for security. The
two are distinct people, neither is the proposer; the second approval makes the definition the
robot's, in one transaction. Launch requests made against the earlier version can then no longer be
approved (`robot_changed`).
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace

from server.auth.roles import Role
from server.auth.schemas import User
from server.errors import ApiError, ForbiddenError, NotFoundError
from server.messages import MESSAGES
from server.robots import catalogue_repository as catalogue
from server.robots import changes_repository as changes
from server.robots.schemas import RobotChange, RobotChangeStatus
from tools.database import Pool, is_uuid
from tools.robots.catalogue import RobotSpec, definition_digest, definition_errors

tracer = trace.get_tracer("ariane.robots")


class RobotChangeConflictError(ApiError):
    """The change is no longer pending, or the caller's slot is already filled."""

    status_code = 409
    code = "change_closed"


class RobotDefinitions:
    """Proposals and their two approvals."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def propose(self, user: User, spec: RobotSpec) -> RobotChange:
        """Record a proposed definition, pending its two approvals.

        Raises:
            ApiError: 400 `invalid_robot` (approvers everyone is, a task outside the tasks folder).
        """
        errors = definition_errors(spec)
        if errors:
            raise ApiError(
                MESSAGES("robots.definition_refused", reasons=" ; ".join(errors)), code="invalid_robot"
            )
        body = spec.model_dump(mode="json", exclude={"version"})
        with tracer.start_as_current_span("robots.change.propose", attributes={"ariane.robot.id": spec.id}):
            row = await changes.propose(self._pool, spec.id, body, definition_digest(spec), user.email)
        return await self._view(row, user)

    async def list_for(self, user: User, robot_id: str | None = None) -> list[RobotChange]:
        """A robot's changes, or (no robot) the pending changes the user may approve."""
        if robot_id is not None:
            return [await self._view(row, user) for row in await changes.of_robot(self._pool, robot_id)]
        views = [await self._view(row, user) for row in await changes.pending(self._pool)]
        return [view for view in views if view.may_approve]

    async def approve(self, user: User, change_id: str) -> RobotChange:
        """Fill the caller's slot (owner service or security); the second slot activates the definition.

        Raises:
            NotFoundError: unknown change.
            ForbiddenError: the proposer (`self_approval`), someone who already approved it, or
                neither a manager of the owner service nor a security officer (`not_an_approver`).
            RobotChangeConflictError: not pending any more, or the caller's slot is already filled.
        """
        row = await self._row(change_id)
        if row["proposed_by"] == user.email:
            raise ForbiddenError(MESSAGES("robots.change_self_approval"), code="self_approval")
        if user.email in {row["owner_approved_by"], row["security_approved_by"]}:
            raise ForbiddenError(MESSAGES("robots.change_second_approver"), code="second_approver_required")
        if row["status"] != RobotChangeStatus.PENDING:
            raise RobotChangeConflictError(MESSAGES("robots.change_closed", status=row["status"]))
        slots = [slot for slot in await self._slots(user, row) if not row[f"{slot}_approved_by"]]
        if not slots:
            owner = await self._owner_service(row)
            raise ForbiddenError(
                MESSAGES("robots.change_reserved", owner=owner),
                code="not_an_approver",
            )
        attributes = {
            "ariane.user.id": user.id,
            "ariane.robot.id": row["robot_id"],
            "ariane.change.slot": slots[0],
        }
        with tracer.start_as_current_span("robots.change.approve", attributes=attributes):
            decided = await changes.approve(self._pool, change_id, slots[0], user.email)
        if decided is None:
            raise RobotChangeConflictError(MESSAGES("robots.change_just_closed"))
        return await self._view(decided, user)

    async def reject(self, user: User, change_id: str, reason: str | None) -> RobotChange:
        """Reject a pending change (either approver may).

        Raises:
            NotFoundError, ForbiddenError (`not_an_approver`), RobotChangeConflictError.
        """
        row = await self._row(change_id)
        if not await self._slots(user, row) or row["proposed_by"] == user.email:
            raise ForbiddenError(MESSAGES("robots.change_reject_forbidden"), code="not_an_approver")
        decided = await changes.reject(self._pool, change_id, user.email, reason)
        if decided is None:
            raise RobotChangeConflictError(MESSAGES("robots.change_closed", status=row["status"]))
        return await self._view(decided, user)

    async def _row(self, change_id: str) -> dict[str, Any]:
        row = await changes.get(self._pool, change_id) if is_uuid(change_id) else None
        if row is None:
            raise NotFoundError(MESSAGES("robots.change_not_found"), code="change_not_found")
        return row

    async def _owner_service(self, row: dict[str, Any]) -> str:
        current = await catalogue.get_robot(self._pool, row["robot_id"])
        return current.service if current is not None else str(row["spec"].get("service", ""))

    async def _slots(self, user: User, row: dict[str, Any]) -> list[str]:
        slots = []
        owner = await self._owner_service(row)
        if user.has_any(Role.DIRECTION) or (user.has_any(Role.MANAGER) and user.service == owner):
            slots.append("owner")
        if user.has_any(Role.SECURITY):
            slots.append("security")
        return slots

    async def _view(self, row: dict[str, Any], user: User) -> RobotChange:
        current = await catalogue.get_robot(self._pool, row["robot_id"])
        open_slots = [slot for slot in await self._slots(user, row) if not row[f"{slot}_approved_by"]]
        may = (
            row["status"] == RobotChangeStatus.PENDING
            and bool(open_slots)
            and user.email not in {row["proposed_by"], row["owner_approved_by"], row["security_approved_by"]}
        )
        return RobotChange(
            id=row["id"],
            robot_id=row["robot_id"],
            spec=row["spec"],
            digest=row["digest"],
            current_digest=definition_digest(current) if current is not None else None,
            owner_service=current.service if current is not None else str(row["spec"].get("service", "")),
            proposed_by=row["proposed_by"],
            status=row["status"],
            owner_approved_by=row["owner_approved_by"],
            security_approved_by=row["security_approved_by"],
            rejected_by=row["rejected_by"],
            reason=row["reason"],
            created_at=row["created_at"],
            decided_at=row["decided_at"],
            may_approve=may,
        )
