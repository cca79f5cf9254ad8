"""App-only access to Graph (client credentials): work done without a signed-in user.

Ariane's background work (mail triggers watching a shared mailbox, the mails it sends for
automations) acts as the application: its application permissions (`Mail.Read`, `Mail.Send`) are
scoped by Exchange to the mailboxes its application access policy lists. Production takes the
token from Entra ID through azure-identity (`client.py`); on the local tenant, this is the same
OAuth request (RFC 6749 §4.4), which azure-identity cannot send to a non-HTTPS authority.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from kiota_abstractions.authentication import AccessTokenProvider, AllowedHostsValidator

from tools.m365.errors import Failure, M365Error

APP_SCOPE = "https://graph.microsoft.com/.default"
_EARLY_REFRESH_SECONDS = 120


class AppTokenProvider(AccessTokenProvider):
    """Kiota's token provider for the application itself, cached until shortly before it expires."""

    def __init__(
        self, http: httpx.AsyncClient, token_url: str, client_id: str, secret: str, allowed_hosts: list[str]
    ) -> None:
        self._http = http
        self._token_url = token_url
        self._form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            "scope": APP_SCOPE,
        }
        self._validator = AllowedHostsValidator(allowed_hosts)
        self._token: tuple[str, float] | None = None

    async def get_authorization_token(
        self, uri: str, additional_authentication_context: dict[str, Any] | None = None
    ) -> str:
        """The application's Graph token, or "" for a host it must never be sent to.

        Raises:
            M365Error: `unauthenticated` when the provider refuses the client, `unavailable` when down.
        """
        if not self._validator.is_url_host_valid(uri) or urlsplit(uri).scheme not in ("http", "https"):
            return ""
        if self._token is not None and self._token[1] > time.time():
            return self._token[0]
        try:
            response = await self._http.post(self._token_url, data=self._form)
        except httpx.HTTPError as exc:
            raise M365Error(Failure.UNAVAILABLE, f"identity provider unreachable: {exc!r}") from exc
        if response.status_code >= 500:
            raise M365Error(Failure.UNAVAILABLE, f"identity provider answered {response.status_code}")
        body = response.json()
        if response.status_code != 200:
            code = str(body.get("error", "invalid_client"))
            raise M365Error(Failure.UNAUTHENTICATED, str(body.get("error_description", code)), code)
        token = str(body["access_token"])
        self._token = (token, time.time() + float(body.get("expires_in", 300)) - _EARLY_REFRESH_SECONDS)
        return token

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        """The hosts this provider gives tokens for."""
        return self._validator
