"""Refresh tokens of the web client: bound to it, rotated at each use, revocable, with a fixed end.

A sign-in starts a family; each use of its current token answers a new one and retires the old. A
retired token presented again means two holders (a copy was stolen, or replayed): the whole family
is revoked, so that neither the thief nor the user can go on without signing in again (OAuth 2.0
Security Best Current Practice, refresh token rotation). The family ends at a fixed time after the
sign-in, as Entra ID ends a single-page app's refresh tokens after 24 hours, whatever the use.

Only SHA-256 digests of the tokens are kept: what the store holds cannot be replayed.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import deque
from dataclasses import dataclass, field

from tools.tenant.identity.issuer import IdentityError

REFRESH_SCOPE = "offline_access"
# Retired tokens remembered per family to recognise a replay. A family refreshing in a loop would
# otherwise grow the store until its fixed end; an older retired token is then simply unknown.
RETIRED_KEPT = 32


@dataclass
class _Family:
    """One sign-in's chain of refresh tokens."""

    user_id: str
    client_id: str
    scope: str
    expires_at: float
    current: str  # digest of the only token of the family that may be used
    revoked: bool = False
    retired: deque[str] = field(default_factory=deque)  # newest last, at most RETIRED_KEPT


@dataclass(frozen=True)
class RefreshGrant:
    """What a refresh token grants: the sign-in it continues."""

    user_id: str
    client_id: str
    scope: str


@dataclass
class RefreshTokenStore:
    """Refresh tokens of this process (the provider runs as one process, like the rest of the tenant).

    A restart forgets them: users then sign in again, as after a revocation.
    """

    lifetime_seconds: int
    _families: dict[str, _Family] = field(default_factory=dict)
    # digest of every token issued (current or retired) -> its family id
    _tokens: dict[str, str] = field(default_factory=dict)

    def issue(self, *, user_id: str, client_id: str, scope: str) -> str:
        """Start a family for a new sign-in and return its first token."""
        self._purge()
        token = secrets.token_urlsafe(32)
        family_id = secrets.token_hex(16)
        digest = _digest(token)
        self._families[family_id] = _Family(
            user_id=user_id,
            client_id=client_id,
            scope=scope,
            expires_at=time.time() + self.lifetime_seconds,
            current=digest,
        )
        self._tokens[digest] = family_id
        return token

    def rotate(self, token: str, *, client_id: str, scope: str | None = None) -> tuple[RefreshGrant, str]:
        """Retire `token` and return its grant with the family's next token.

        `scope`, when given, must be within what the sign-in granted; it is checked before the token
        is retired, so that a refused request leaves the session usable.

        Raises:
            IdentityError: `invalid_grant` for an unknown, expired, revoked or retired token (the last
                revokes the family), or a token issued to another client; `invalid_scope`.
        """
        self._purge()
        digest = _digest(token)
        found = self._find(digest)
        if found is None or found[1].revoked or found[1].expires_at < time.time():
            raise IdentityError("invalid_grant", "The refresh token is unknown, expired or revoked.")
        family_id, family = found
        if family.client_id != client_id:
            raise IdentityError("invalid_grant", "The refresh token was issued to another client.")
        if family.current != digest:
            family.revoked = True
            raise IdentityError(
                "invalid_grant", "The refresh token was already used: the session is revoked."
            )
        if scope and not set(scope.split()) <= set(family.scope.split()):
            raise IdentityError("invalid_scope", "The scope asked for exceeds what the sign-in granted.")
        following = secrets.token_urlsafe(32)
        family.retired.append(digest)
        if len(family.retired) > RETIRED_KEPT:
            del self._tokens[family.retired.popleft()]
        family.current = _digest(following)
        self._tokens[family.current] = family_id
        return RefreshGrant(user_id=family.user_id, client_id=family.client_id, scope=family.scope), following

    def revoke(self, token: str, *, client_id: str) -> None:
        """Revoke the family of `token` (RFC 7009: nothing happens for a token it does not know).

        Raises:
            IdentityError: `invalid_client` when another client asks (it may not end this session).
        """
        found = self._find(_digest(token))
        if found is None:
            return
        family = found[1]
        if family.client_id != client_id:
            raise IdentityError("invalid_client", "The token was issued to another client.", 401)
        family.revoked = True

    def revoke_user(self, user_id: str) -> None:
        """End every session of a user (e.g. removed from the directory)."""
        for family in self._families.values():
            if family.user_id == user_id:
                family.revoked = True

    def _find(self, digest: str) -> tuple[str, _Family] | None:
        family_id = self._tokens.get(digest)
        family = self._families.get(family_id) if family_id is not None else None
        return (family_id, family) if family_id is not None and family is not None else None

    def _purge(self) -> None:
        now = time.time()
        ended = {key for key, family in self._families.items() if family.expires_at < now}
        for key in ended:
            del self._families[key]
        for digest in [digest for digest, key in self._tokens.items() if key in ended]:
            del self._tokens[digest]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
