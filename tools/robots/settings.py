"""Settings of the robots tool server run on its own (`python -m tools.robots`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RobotsToolSettings(BaseSettings):
    """Where Ariane's API is: the server reads the catalogue, the jobs and who calls from it."""

    model_config = SettingsConfigDict(env_prefix="ARIANE_ROBOTS_", env_file=".env", extra="ignore")

    api_url: str = Field(
        "http://127.0.0.1:8000",
        description="Base URL of Ariane's API (`/api/me`, `/api/robots`, `/api/jobs/{id}`), "
        "called with the user's token.",
    )
    timeout_seconds: float = Field(10.0, gt=0, description="Timeout of each request to the API.")
    approval_ttl_minutes: int = Field(
        1440, gt=0, description="How long a launch request waits for a decision before it expires."
    )
