"""Settings of the local Microsoft 365 tenant (`ARIANE_TENANT_*`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

_REPO_ROOT = Path(__file__).resolve().parents[2]


class TenantSettings(BaseSettings):
    """Everything the local tenant can be told; each field maps to `ARIANE_TENANT_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="ARIANE_TENANT_", env_file=".env", extra="ignore")

    host: str = Field("127.0.0.1", description="Interface the tenant listens on.")
    port: int = Field(8001, ge=1, le=65535, description="Port the tenant listens on.")
    public_url: str | None = Field(
        None, description="URL clients reach the tenant at (default: http://HOST:PORT)."
    )
    data_dir: Path = Field(_REPO_ROOT / ".ariane" / "tenant", description="Folder for the signing keys.")
    extra_data_dir: Path | None = Field(
        None,
        description="Folder of extra fictional data loaded at start, in the format of tools/tenant/data.",
    )
    api_client_secret: SecretStr = Field(
        SecretStr("ariane-local-secret"),
        description="Secret of the confidential `ariane-api` client (on-behalf-of exchange).",
    )
    robot_api_key: SecretStr = Field(
        SecretStr("ariane-robots-local-key"),
        description="Key robots present to the sample systems of `/robot-api` (header `X-Robot-Key`).",
    )
    dpi_api_key: SecretStr = Field(
        SecretStr("ariane-dpi-local-key"),
        description="Key the intake presents to the sample DPI of `/dpi-api` (header `X-Dpi-Key`).",
    )
    mail_api_key: SecretStr = Field(
        SecretStr("ariane-mail-local-key"),
        description="Key of `/mail-api` (header `X-Mail-Key`): mail arriving from outside the tenant, and "
        "the list of mail that left it.",
    )
    web_redirect_uris: list[str] = Field(
        default_factory=list,
        description="Extra redirect URIs of the `ariane-web` client (loopback URIs are always accepted).",
    )
    token_lifetime_seconds: int = Field(3600, ge=60, le=86400, description="Lifetime of issued tokens.")
    refresh_token_lifetime_seconds: int = Field(
        86400,
        ge=60,
        le=7 * 86400,
        description="How long the web app's refresh tokens (scope `offline_access`) renew a sign-in: "
        "a fixed time from the sign-in, whatever the use (Entra ID gives single-page apps 24 hours).",
    )

    @property
    def base_url(self) -> str:
        """URL of the tenant as clients reach it."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
