"""Minting and checking the tokens of the local provider, with Entra ID's v2.0 claim shapes."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from tools.tenant.directory import Directory, User
from tools.tenant.identity.keys import SigningKey

# Resource and scopes of the Microsoft 365 API, as Entra ID names them.
GRAPH_AUDIENCE = "https://graph.microsoft.com"
GRAPH_SCOPES = " ".join(
    [
        "Calendars.Read",
        "Files.Read.All",
        "Mail.Read",
        "Mail.Read.Shared",
        "Mail.Send",
        "Mail.Send.Shared",
        "OnlineMeetings.Read",
        "OnlineMeetingTranscript.Read.All",
        "Sites.Read.All",
        "User.Read",
    ]
)
ARIANE_API_AUDIENCE = "api://ariane"
ARIANE_API_SCOPE = "access_as_user"
WEB_CLIENT_ID = "ariane-web"
API_CLIENT_ID = "ariane-api"


class IdentityError(Exception):
    """An OAuth error, rendered as `{"error", "error_description"}`."""

    def __init__(self, error: str, description: str, status_code: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status_code = status_code


def issuer_for(base_url: str, tenant_id: str) -> str:
    """The issuer URL, shaped as Entra ID's (`https://login.microsoftonline.com/TENANT/v2.0`)."""
    return f"{base_url.rstrip('/')}/{tenant_id}/v2.0"


@dataclass(frozen=True)
class TokenIssuer:
    """Signs tokens for users of the directory and verifies the ones it signed."""

    directory: Directory
    key: SigningKey
    issuer: str
    lifetime_seconds: int = 3600

    def access_token(self, user: User, *, audience: str, scope: str, client_id: str) -> str:
        """An access token for `audience` carrying the user's identity, groups and profile."""
        return self._sign(self._user_claims(user) | {"aud": audience, "scp": scope, "azp": client_id})

    def app_token(self, client_id: str, *, audience: str, roles: tuple[str, ...]) -> str:
        """An app-only access token (client credentials): the application's own permissions, no user."""
        now = int(time.time())
        app_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.issuer}/apps/{client_id}"))
        return self._sign(
            {
                "iss": self.issuer, "iat": now, "nbf": now, "exp": now + self.lifetime_seconds,
                "jti": uuid.uuid4().hex, "ver": "2.0", "tid": self.directory.tenant.id,
                "sub": app_id, "oid": app_id, "azp": client_id, "appid": client_id, "idtyp": "app",
                "aud": audience, "roles": list(roles),
            }
        )  # fmt: skip

    def id_token(self, user: User, *, client_id: str, nonce: str | None) -> str:
        """An ID token for the client that signed the user in."""
        claims = self._user_claims(user) | {"aud": client_id}
        if nonce:
            claims["nonce"] = nonce
        return self._sign(claims)

    def verify(self, token: str, *, audience: str) -> dict[str, Any]:
        """Claims of a token this provider signed for `audience`.

        Raises:
            IdentityError: `invalid_grant` when the token is forged, expired or for another audience.
        """
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.key.private_key.public_key(),
                algorithms=["RS256"],
                audience=audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "oid"]},
            )
        except jwt.PyJWTError as exc:
            raise IdentityError("invalid_grant", f"The assertion is not valid: {exc}") from exc
        return claims

    def _user_claims(self, user: User) -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": self.issuer,
            "iat": now,
            "nbf": now,
            "exp": now + self.lifetime_seconds,
            "jti": uuid.uuid4().hex,
            "ver": "2.0",
            "tid": self.directory.tenant.id,
            "sub": user.id,
            "oid": user.id,
            "name": user.display_name,
            "preferred_username": user.mail,
            "email": user.mail,
            "groups": self.directory.group_ids_of(user),
            # Optional claims Entra ID can emit through a claims-mapping policy.
            "jobTitle": user.job_title,
            "department": user.department,
            "jobCategory": user.job_category,
        }

    def _sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.key.private_key, algorithm="RS256", headers={"kid": self.key.kid})
