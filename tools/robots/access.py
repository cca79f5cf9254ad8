"""Who calls the robots server, and what it needs from its host (the database, identity)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, Field

from tools.database import Pool
from tools.mcp_common import ToolFailure
from tools.robots.catalogue import RobotSpec


class Requester(BaseModel):
    """A user as Ariane knows them: id, roles and service (the directory's department)."""

    id: str
    email: str
    display_name: str
    roles: list[str] = Field(default_factory=list)
    service: str = ""


Identify = Callable[[str], Awaitable[Requester]]
"""Resolve a bearer token to the user; raises `ToolFailure("unauthenticated", …)` when invalid."""


class RobotsBackend:
    """The server's collaborators: its database pool and how it identifies a token's user.

    Run alone (`tools.robots.standalone`), the server is given both at construction. Mounted in
    Ariane's app, which is built before its pool opens, the host binds them in its lifespan.
    """

    def __init__(
        self,
        approval_ttl_minutes: int = 24 * 60,
        *,
        pool: Pool | None = None,
        identify: Identify | None = None,
    ) -> None:
        self.approval_ttl_minutes = approval_ttl_minutes
        self._pool, self._identify = pool, identify

    def bind(self, pool: Pool, identify: Identify) -> None:
        """Attach the host's pool and token resolver (the app's lifespan does it)."""
        self._pool, self._identify = pool, identify

    @property
    def pool(self) -> Pool:
        """The database pool.

        Raises:
            ToolFailure: `unavailable` before the host has started.
        """
        if self._pool is None:
            raise ToolFailure("unavailable", "Le catalogue des robots n'est pas encore disponible.")
        return self._pool

    async def identify(self, token: str) -> Requester:
        """The user behind `token`."""
        if self._identify is None:
            raise ToolFailure("unavailable", "Le catalogue des robots n'est pas encore disponible.")
        return await self._identify(token)


def may_see_job(user: Requester, job: dict[str, Any], spec: RobotSpec | None) -> bool:
    """The requester, the approver, whoever may approve this robot, and auditors see a job."""
    if user.id in {job.get("requester_id"), job.get("approver_id")} or "auditor" in user.roles:
        return True
    return spec is not None and spec.approvers.admits(user.roles, user.service)
