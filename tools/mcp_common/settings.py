"""Settings of a tool server run on its own (`ARIANE_MCP_*`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from tools.doctext.settings import ReadingSettings


class ToolServerSettings(BaseSettings):
    """Each field maps to `ARIANE_MCP_<NAME>`; Graph access has its own `ARIANE_M365_*` settings."""

    model_config = SettingsConfigDict(
        env_prefix="ARIANE_MCP_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    host: str = Field("127.0.0.1", description="Interface of a tool server run over streamable HTTP.")
    port: int = Field(8010, ge=1, le=65535, description="Port of a tool server run over streamable HTTP.")
    user_token: SecretStr | None = Field(
        None,
        description="Ariane token of the user a stdio server acts for, when requests carry none in `_meta`.",
    )
    now: datetime | None = Field(
        None, description="Fixed reference instant for French relative dates (demos, replays); unset: now."
    )
    reading: ReadingSettings = Field(
        default_factory=ReadingSettings,
        description="Bounds of the subprocess in which the documents server parses a SharePoint file "
        "(`ARIANE_MCP_READING__MEMORY_MB`, `__CPU_SECONDS`, `__TIMEOUT_SECONDS`).",
    )
