"""The applications registered with the local provider, and how each one is checked."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from pydantic import SecretStr

from tools.tenant.identity.issuer import API_CLIENT_ID, WEB_CLIENT_ID, IdentityError

# Application permissions granted to confidential clients (admin consent), as app roles of Graph.
# Exchange scopes them to the mailboxes of `mail.json`'s `applications` (application access policy).
APP_ROLES: dict[str, tuple[str, ...]] = {API_CLIENT_ID: ("Mail.Read", "Mail.Send")}
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
_CALLBACK_PATH = "/auth/callback"


def check_web_redirect_uri(client_id: str, redirect_uri: str, extra_uris: list[str]) -> None:
    """Refuse an unknown public client or a redirect URI it did not register.

    Loopback URIs on any port are accepted for the web client, as Entra ID does for native apps, so
    that `ariane up --port N` works without registering each port.

    Raises:
        IdentityError: `unauthorized_client` or `invalid_request`.
    """
    if client_id != WEB_CLIENT_ID:
        raise IdentityError("unauthorized_client", f"Unknown application '{client_id}'.")
    if redirect_uri in extra_uris:
        return
    parts = urlsplit(redirect_uri)
    # No user info and no backslash: browsers and urlsplit disagree on where such a host ends
    # (`http://evil.example\@127.0.0.1/…`), so only a plain loopback authority is taken.
    plain = "@" not in parts.netloc and "\\" not in redirect_uri
    loopback = parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS
    if plain and loopback and parts.path == _CALLBACK_PATH and not parts.query and not parts.fragment:
        return
    raise IdentityError("invalid_request", f"The redirect URI '{redirect_uri}' is not registered.")


def check_api_client(client_id: str | None, client_secret: str | None, expected: SecretStr) -> None:
    """Authenticate the confidential client that may exchange user tokens on their behalf.

    Raises:
        IdentityError: `invalid_client` (401).
    """
    if client_id != API_CLIENT_ID or client_secret is None:
        raise IdentityError("invalid_client", "Client authentication failed.", 401)
    if not hmac.compare_digest(client_secret.encode(), expected.get_secret_value().encode()):
        raise IdentityError("invalid_client", "Client authentication failed.", 401)
