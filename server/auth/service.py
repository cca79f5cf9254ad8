"""From a bearer token to a recorded user with roles."""

from __future__ import annotations

import time
from typing import Any

from server.auth import repository
from server.auth.oidc import TokenVerifier
from server.auth.roles import Role, roles_from_groups
from server.auth.schemas import Principal, User
from tools.database import Pool

# A user's profile is written at most this often while it does not change.
_RECORD_INTERVAL_SECONDS = 300.0


class Authenticator:
    """Validates tokens and keeps the users table in step with what the issuer says of each user."""

    def __init__(self, verifier: TokenVerifier, pool: Pool, role_groups: dict[str, list[Role]]) -> None:
        self._verifier = verifier
        self._pool = pool
        self._role_groups = role_groups
        self._recorded: dict[tuple[str, str], tuple[str, str, float]] = {}

    async def authenticate(self, token: str) -> User:
        """The user a token stands for.

        Raises:
            NotAuthenticatedError: the token is missing, invalid, expired or not for Ariane.
            ServiceUnavailableError: the identity provider cannot be reached.
        """
        principal = principal_from_claims(await self._verifier.verify(token), token, self._role_groups)
        user_id = await self._record(principal)
        return User(id=user_id, **principal.model_dump(), token=token)

    async def _record(self, principal: Principal) -> str:
        key = (principal.issuer, principal.subject)
        profile = principal.model_dump_json(exclude={"token"})
        cached = self._recorded.get(key)
        if cached and cached[1] == profile and time.monotonic() - cached[2] < _RECORD_INTERVAL_SECONDS:
            return cached[0]
        async with self._pool.connection() as conn:
            user_id = await repository.upsert_user(conn, principal)
        self._recorded[key] = (user_id, profile, time.monotonic())
        return user_id


def principal_from_claims(
    claims: dict[str, Any], token: str, role_groups: dict[str, list[Role]]
) -> Principal:
    """Map Entra ID-shaped claims to a principal.

    Roles come from the `groups` claim through the configured mapping, plus any app role in the
    `roles` claim whose value is an Ariane role name (Entra ID app roles).
    """
    groups = [str(group) for group in claims.get("groups", [])]
    app_roles = {str(role) for role in claims.get("roles", [])}
    roles = set(roles_from_groups(groups, role_groups)) | {role for role in Role if role.value in app_roles}
    email = str(claims.get("preferred_username") or claims.get("email") or claims.get("upn") or "")
    return Principal(
        issuer=str(claims["iss"]),
        subject=str(claims.get("oid") or claims["sub"]),
        email=email.lower(),
        display_name=str(claims.get("name") or email),
        job_title=str(claims.get("jobTitle", "")),
        service=str(claims.get("department", "")),
        job_category=str(claims.get("jobCategory", "")),
        roles=sorted(roles, key=list(Role).index),
        token=token,
    )
