"""On-behalf-of exchange with the local tenant's identity provider, with a token cache per user token.

Production uses azure-identity's `OnBehalfOfCredential` instead (see `client.py`); this is the same
OAuth request (RFC 7523 jwt-bearer grant) against the local provider, which azure-identity cannot reach
because it requires an HTTPS authority.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import urlsplit

import httpx
from kiota_abstractions.authentication import AccessTokenProvider, AllowedHostsValidator

from tools.m365.errors import Failure, M365Error

OBO_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_CACHE_SIZE = 1024
_EARLY_REFRESH_SECONDS = 120  # refresh before expiry so a long tool call never carries a dying token


class OboExchanger:
    """Turns a user's Ariane token into a Graph token; caches it until shortly before it expires."""

    def __init__(
        self, http: httpx.AsyncClient, token_url: str, client_id: str, client_secret: str, scope: str
    ) -> None:
        self._http = http
        self._token_url = token_url
        self._form = {"client_id": client_id, "client_secret": client_secret, "scope": scope}
        self._cache: OrderedDict[str, tuple[str, float]] = OrderedDict()

    async def graph_token(self, user_token: str) -> str:
        """A Graph token for the user of `user_token`.

        Raises:
            M365Error: `unauthenticated` when the provider refuses the user token, `unavailable` when it
                cannot be reached.
        """
        key = hashlib.sha256(user_token.encode()).hexdigest()
        cached = self._cache.get(key)
        if cached and cached[1] > time.time():
            self._cache.move_to_end(key)
            return cached[0]
        body = await self._exchange(user_token)
        token = str(body["access_token"])
        self._cache[key] = (token, time.time() + float(body.get("expires_in", 300)) - _EARLY_REFRESH_SECONDS)
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return token

    async def _exchange(self, user_token: str) -> dict[str, Any]:
        form = self._form | {
            "grant_type": OBO_GRANT,
            "assertion": user_token,
            "requested_token_use": "on_behalf_of",
        }
        try:
            response = await self._http.post(self._token_url, data=form)
        except httpx.HTTPError as exc:
            raise M365Error(Failure.UNAVAILABLE, f"identity provider unreachable: {exc!r}") from exc
        if response.status_code >= 500:
            raise M365Error(Failure.UNAVAILABLE, f"identity provider answered {response.status_code}")
        body: dict[str, Any] = response.json()
        if response.status_code != 200:
            code = str(body.get("error", "invalid_grant"))
            failure = (
                Failure.UNAUTHENTICATED
                if code in ("invalid_grant", "invalid_request")
                else Failure.UNAVAILABLE
            )
            raise M365Error(failure, str(body.get("error_description", code)), code)
        return body


class OboTokenProvider(AccessTokenProvider):
    """Kiota's token provider for one user: exchanges that user's token, for allowed hosts only."""

    def __init__(self, exchanger: OboExchanger, user_token: str, allowed_hosts: list[str]) -> None:
        self._exchanger = exchanger
        self._user_token = user_token
        self._validator = AllowedHostsValidator(allowed_hosts)

    async def get_authorization_token(
        self, uri: str, additional_authentication_context: dict[str, Any] | None = None
    ) -> str:
        """The user's Graph token, or "" for a host it must never be sent to."""
        if not self._validator.is_url_host_valid(uri) or urlsplit(uri).scheme not in ("http", "https"):
            return ""
        return await self._exchanger.graph_token(self._user_token)

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        """The hosts this provider gives tokens for."""
        return self._validator
