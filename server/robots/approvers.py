"""Who may approve a robot, by name: users seen by Ariane and, on the embedded tenant, its directory."""

from __future__ import annotations

from dataclasses import dataclass

from server.auth.roles import Role, roles_from_groups
from tools.database import Pool
from tools.robots.catalogue import RobotSpec
from tools.tenant.directory import Directory

MAX_NAMES = 4


@dataclass(frozen=True)
class ApproverNames:
    """Names shown on the requester's card (« en attente de validation par … »)."""

    pool: Pool
    directory: Directory | None
    role_groups: dict[str, list[Role]]

    async def of(self, spec: RobotSpec, requester_id: str | None = None) -> list[str]:
        """Display names of users who may approve `spec`, the requester excepted."""
        return sorted({name for name, _ in await self.people(spec, requester_id)})[:MAX_NAMES]

    async def addresses(self, spec: RobotSpec, requester_id: str | None = None) -> list[str]:
        """Mail addresses of users who may approve `spec`, the requester excepted (their notices)."""
        return sorted({address.lower() for _, address in await self.people(spec, requester_id) if address})

    async def people(self, spec: RobotSpec, requester_id: str | None = None) -> set[tuple[str, str]]:
        """(display name, address) of users who may approve `spec`, the requester excepted."""
        people: set[tuple[str, str]] = set()
        async with self.pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT id::text, email, display_name, roles, service FROM users WHERE roles && %s",
                (spec.approvers.roles,),
            )
            seen = await cursor.fetchall()
        requester = next((row["email"] for row in seen if row["id"] == requester_id), None)
        if requester is None and requester_id is not None:
            async with self.pool.connection() as conn:
                cursor = await conn.execute("SELECT email FROM users WHERE id = %s", (requester_id,))
                found = await cursor.fetchone()
            requester = found["email"] if found else None
        people |= {
            (row["display_name"], row["email"])
            for row in seen
            if row["id"] != requester_id and spec.approvers.admits(row["roles"], row["service"])
        }
        if self.directory is not None:
            for user in self.directory.users:
                roles = [
                    str(r) for r in roles_from_groups(self.directory.group_ids_of(user), self.role_groups)
                ]
                if user.mail != requester and spec.approvers.admits(roles, user.department):
                    people.add((user.display_name, user.mail))
        return people
