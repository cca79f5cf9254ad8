"""Settings of the knowledge tool server (`ARIANE_KNOWLEDGE_*`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class KnowledgeToolSettings(BaseSettings):
    """Where the tool reaches Ariane's knowledge API."""

    model_config = SettingsConfigDict(env_prefix="ARIANE_KNOWLEDGE_", env_file=".env", extra="ignore")

    api_url: str = Field(
        "http://127.0.0.1:8000",
        description="Base URL of Ariane's API, which searches, trims and embeds (`/api/knowledge/…`).",
    )
    timeout_seconds: float = Field(10.0, gt=0, description="Timeout of each knowledge API request.")
