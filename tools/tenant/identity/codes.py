"""Authorization codes: single use, short-lived, bound to client, redirect URI and PKCE challenge."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

from tools.tenant.identity.issuer import IdentityError

CODE_LIFETIME_SECONDS = 300


@dataclass(frozen=True)
class PendingCode:
    """What the sign-in page granted, waiting to be exchanged at the token endpoint."""

    user_id: str
    client_id: str
    redirect_uri: str
    scope: str
    code_challenge: str
    nonce: str | None
    expires_at: float


@dataclass
class CodeStore:
    """Codes of this process (the provider runs as one process, like the rest of the tenant)."""

    _codes: dict[str, PendingCode] = field(default_factory=dict)

    def issue(self, pending: PendingCode) -> str:
        """Store the grant and return its code."""
        self._purge()
        code = secrets.token_urlsafe(32)
        self._codes[code] = pending
        return code

    def redeem(self, code: str, *, client_id: str, redirect_uri: str, code_verifier: str) -> PendingCode:
        """Consume a code; it can be redeemed once only.

        Raises:
            IdentityError: `invalid_grant` for an unknown, used or expired code, or a wrong verifier.
        """
        pending = self._codes.pop(code, None)
        if pending is None or pending.expires_at < time.time():
            raise IdentityError("invalid_grant", "The authorization code is unknown, used or expired.")
        if pending.client_id != client_id or pending.redirect_uri != redirect_uri:
            raise IdentityError("invalid_grant", "The code was issued to another client or redirect URI.")
        if not code_verifier.isascii() or not hmac.compare_digest(
            s256_challenge(code_verifier), pending.code_challenge
        ):
            raise IdentityError("invalid_grant", "The PKCE code verifier does not match the challenge.")
        return pending

    def _purge(self) -> None:
        now = time.time()
        for code in [code for code, pending in self._codes.items() if pending.expires_at < now]:
            del self._codes[code]


def s256_challenge(verifier: str) -> str:
    """The PKCE S256 challenge of a verifier: base64url(SHA-256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
