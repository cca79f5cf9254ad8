"""Who calls the robots server, and how it reads the robots domain: through Ariane's robots API.

The server owns no table: the catalogue and the jobs are read from `/api/robots` and `/api/jobs`
with the caller's own token, so the API's authorisation (who may see a job) is the only one, and the
server runs alone (`python -m tools.robots`) or mounted in Ariane in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel, Field

from tools.mcp_common import ToolFailure
from tools.mcp_common.texts import TEXTS as COMMON_TEXTS
from tools.robots.catalogue import RobotSpec
from tools.robots.texts import TEXTS


class Requester(BaseModel):
    """A user as Ariane knows them (`GET /api/me`): id, roles and service (the directory's department)."""

    id: str
    email: str
    display_name: str
    roles: list[str] = Field(default_factory=list)
    service: str = ""


@dataclass
class RobotsApi:
    """Ariane's robots API, called with the user's bearer token."""

    api_url: str
    transport: httpx.AsyncBaseTransport | None = None
    timeout: float = 10.0
    _http: httpx.AsyncClient | None = field(default=None, repr=False)

    async def aclose(self) -> None:
        """Close the HTTP client."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def me(self, token: str) -> Requester:
        """The user behind `token`.

        Raises:
            ToolFailure: an invalid session, or Ariane unreachable.
        """
        return Requester.model_validate(await self._get(token, "/api/me"))

    async def robots(self, token: str) -> list[RobotSpec]:
        """The robot catalogue."""
        return [RobotSpec.model_validate(spec) for spec in await self._get(token, "/api/robots")]

    async def robot(self, token: str, robot_id: str) -> RobotSpec | None:
        """One robot, or None when the catalogue has no such robot."""
        found = await self._get(token, f"/api/robots/{quote(robot_id, safe='')}", missing_ok=True)
        return RobotSpec.model_validate(found) if found is not None else None

    async def job(self, token: str, job_id: str) -> dict[str, Any] | None:
        """A job the user may see, or None (unknown, or not theirs to see: the API says the same)."""
        found: dict[str, Any] | None = await self._get(
            token, f"/api/jobs/{quote(job_id, safe='')}", missing_ok=True
        )
        return found

    async def _get(self, token: str, path: str, missing_ok: bool = False) -> Any:
        if self._http is None:
            self._http = httpx.AsyncClient(transport=self.transport, timeout=self.timeout)
        try:
            response = await self._http.get(
                f"{self.api_url.rstrip('/')}{path}", headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.HTTPError as exc:
            raise ToolFailure("unavailable", TEXTS("unreachable")) from exc
        if response.status_code == 200:
            return response.json()
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code == 401:
            raise ToolFailure("unauthenticated", COMMON_TEXTS("session_invalid"))
        raise ToolFailure("unavailable", TEXTS("not_responding"))


@dataclass(frozen=True)
class RobotsBackend:
    """The server's collaborators: the robots API, and how long a launch request waits for a decision."""

    api: RobotsApi
    approval_ttl_minutes: int = 24 * 60
