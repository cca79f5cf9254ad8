"""Settings of the robots tool server run on its own (`python -m tools.robots`)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class RobotsToolSettings(BaseSettings):
    """Its database (Ariane's) and where it asks Ariane who a token's user is."""

    model_config = SettingsConfigDict(env_prefix="ARIANE_ROBOTS_", env_file=".env", extra="ignore")

    database_url: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("DATABASE_URL", "ARIANE_ROBOTS_DATABASE_URL"),
        description="Ariane's PostgreSQL (the robot catalogue, launch requests and jobs live there).",
    )
    api_url: str = Field(
        "http://127.0.0.1:8000",
        description="Base URL of Ariane's API, which says who a bearer token's user is (`/api/me`).",
    )
    timeout_seconds: float = Field(10.0, gt=0, description="Timeout of each identity request to the API.")
    approval_ttl_minutes: int = Field(
        1440, gt=0, description="How long a launch request waits for a decision before it expires."
    )
    db_pool_max: int = Field(5, ge=1, description="Largest number of pooled database connections.")
