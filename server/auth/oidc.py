"""Validation of bearer tokens against the configured OpenID Connect issuer (discovery + JWKS)."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from typing import Any

import httpx
import jwt

from server.errors import NotAuthenticatedError, ServiceUnavailableError
from server.messages import MESSAGES
from tools.i18n import Text

_JWKS_REFRESH_MIN_SECONDS = 60.0
_CLOCK_LEEWAY_SECONDS = 60
_ALGORITHMS = ["RS256"]
# A token verified is remembered this long (never past its expiry): each `/v1` call of a batch row,
# an agent's step or a page's request carries the same token, and checking its RSA signature again
# each time costs a share of every call. A key withdrawn by the issuer stops counting after this.
_VERIFIED_SECONDS = 60.0
_VERIFIED_KEPT = 1024


class TokenVerifier:
    """Checks signature, issuer, audience and lifetime of access tokens.

    The discovery document and keys are fetched lazily and cached; an unknown key id triggers one
    refresh (rate-limited), which is how key rotation at the issuer is picked up. A token that
    passed is remembered for a minute at most, never past its expiry (keyed by its digest).
    """

    def __init__(self, issuer: str, audience: str, http: httpx.AsyncClient) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self._http = http
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        self._verified: OrderedDict[bytes, tuple[dict[str, Any], float]] = OrderedDict()

    async def verify(self, token: str) -> dict[str, Any]:
        """The token's claims.

        Raises:
            NotAuthenticatedError: codes `invalid_token`, `token_expired`, `wrong_issuer`, `wrong_audience`.
            ServiceUnavailableError: the issuer's keys cannot be fetched.
        """
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
        kept = self._verified.get(digest)
        if kept is not None:
            claims, until = kept
            if time.monotonic() < until and time.time() < float(claims["exp"]) + _CLOCK_LEEWAY_SECONDS:
                self._verified.move_to_end(digest)
                return dict(claims)
            del self._verified[digest]
        claims = await self._verify(token)
        self._verified[digest] = (dict(claims), time.monotonic() + _VERIFIED_SECONDS)
        while len(self._verified) > _VERIFIED_KEPT:
            self._verified.popitem(last=False)
        return claims

    async def _verify(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise _invalid("invalid_token", MESSAGES("auth.token_unreadable")) from exc
        # Say "another issuer" rather than "bad signature" when that is the real reason.
        if str(unverified.get("iss", "")).rstrip("/") != self.issuer:
            raise _invalid("wrong_issuer", MESSAGES("auth.wrong_issuer"))
        key = await self._key(str(header.get("kid", "")))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=_ALGORITHMS,
                audience=self.audience,
                issuer=unverified["iss"],
                leeway=_CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise _invalid("token_expired", MESSAGES("auth.token_expired")) from exc
        except jwt.InvalidAudienceError as exc:
            raise _invalid("wrong_audience", MESSAGES("auth.wrong_audience")) from exc
        except jwt.PyJWTError as exc:
            raise _invalid("invalid_token", MESSAGES("auth.token_invalid")) from exc
        return claims

    async def _key(self, kid: str) -> Any:
        if kid not in self._keys:
            async with self._lock:
                stale = time.monotonic() - self._fetched_at > _JWKS_REFRESH_MIN_SECONDS
                if kid not in self._keys and (stale or not self._keys):
                    await self._refresh()
        if kid not in self._keys:
            raise _invalid("invalid_token", MESSAGES("auth.unknown_key"))
        return self._keys[kid]

    async def _refresh(self) -> None:
        try:
            discovery = await self._get_json(f"{self.issuer}/.well-known/openid-configuration")
            if str(discovery.get("issuer", "")).rstrip("/") != self.issuer:
                raise ServiceUnavailableError(
                    MESSAGES("auth.provider_misconfigured"),
                    code="identity_provider_misconfigured",
                )
            jwks = await self._get_json(str(discovery["jwks_uri"]))
            keys = jwt.PyJWKSet.from_dict(jwks)
        except (httpx.HTTPError, KeyError, ValueError, jwt.PyJWTError) as exc:
            raise ServiceUnavailableError(
                MESSAGES("auth.provider_unreachable"),
                code="identity_provider_unavailable",
            ) from exc
        self._keys = {key.key_id: key.key for key in keys.keys if key.key_id}
        self._fetched_at = time.monotonic()

    async def _get_json(self, url: str) -> dict[str, Any]:
        response = await self._http.get(url, timeout=10.0)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data


def _invalid(code: str, detail: Text) -> NotAuthenticatedError:
    return NotAuthenticatedError(detail, code=code, headers={"WWW-Authenticate": f'Bearer error="{code}"'})
