"""Where Ariane's tools reach Microsoft 365 (`ARIANE_M365_*`): the local tenant, or the real Graph."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Target = Literal["local", "graph"]


class M365Settings(BaseSettings):
    """Each field maps to `ARIANE_M365_<NAME>`; the defaults reach the embedded local tenant."""

    model_config = SettingsConfigDict(env_prefix="ARIANE_M365_", env_file=".env", extra="ignore")

    target: Target = Field(
        "local",
        description="`local`: the embedded tenant (Graph at `TENANT_URL/v1.0`); `graph`: Microsoft Graph "
        "through Entra ID on-behalf-of, with the credentials below.",
    )
    tenant_url: str = Field(
        "http://127.0.0.1:8001", description="URL of the local tenant (target `local` only)."
    )
    tenant_id: str | None = Field(
        None,
        description="Directory (tenant) id. Target `graph`: required; `local`: the local directory's id.",
    )
    client_id: str = Field(
        "ariane-api", description="Application (client) id of the confidential app doing on-behalf-of."
    )
    client_secret: SecretStr | None = Field(
        SecretStr("ariane-local-secret"),
        description="Client secret of that app (or use `CLIENT_CERTIFICATE_PATH` with target `graph`).",
    )
    client_certificate_path: Path | None = Field(
        None, description="PEM or PKCS12 certificate with private key, instead of a secret (target `graph`)."
    )
    authority_host: str = Field(
        "login.microsoftonline.com", description="Entra ID authority host (sovereign clouds differ)."
    )
    graph_url: str = Field(
        "https://graph.microsoft.com/v1.0", description="Microsoft Graph base URL (target `graph`)."
    )
    scopes: list[str] = Field(
        default_factory=lambda: ["https://graph.microsoft.com/.default"],
        description="Scopes asked on behalf of the user (the app's delegated Graph permissions).",
    )
    timeout_seconds: float = Field(10.0, gt=0, description="Timeout of each Graph and token request.")

    @property
    def local_graph_url(self) -> str:
        """Graph's base URL on the local tenant."""
        return f"{self.tenant_url.rstrip('/')}/v1.0"
