"""Which issuer's tokens Ariane accepts (the API, the gateway alone, the command line)."""

from __future__ import annotations

from server.settings import Settings
from tools.tenant.directory import load_directory
from tools.tenant.identity import issuer_for


def configured_issuer(settings: Settings) -> str:
    """The issuer whose tokens Ariane accepts: the configured one, else the embedded tenant's."""
    if settings.oidc_issuer:
        return settings.oidc_issuer.rstrip("/")
    return issuer_for(settings.tenant_url, load_directory().tenant.id)
