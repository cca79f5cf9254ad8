"""Settings of automations (`ARIANE_AUTOMATIONS__<NAME>`), one group of the server's `Settings`."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, field_validator


class AutomationsSettings(BaseModel):
    """Mail triggers and schedules: how often they are looked at, their clock, the mail they send."""

    enabled: bool = Field(
        True, description="Mail triggers are polled and schedules fired (off: automations stay as they are)."
    )
    poll_seconds: float = Field(
        20.0, gt=0, description="How often the watched mailboxes are asked for what changed (Graph delta)."
    )
    schedule_seconds: float = Field(
        20.0, gt=0, description="How often due schedules and finished firings are looked at."
    )
    notification_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s/?#]+[^\s#]*$",
        max_length=2000,
        description="Address at which Microsoft Graph reaches Ariane's "
        "`/api/automations/graph-notifications` (e.g. https://ariane.chru-exemple.fr/api/automations/"
        "graph-notifications): each active mail trigger then subscribes to its inbox and is polled as soon "
        "as a message arrives (unset: polling only).",
    )
    notifications_per_minute: int = Field(
        120,
        ge=1,
        description="Requests the unauthenticated `/api/automations/graph-notifications` takes from one "
        "client address a minute, counted in PostgreSQL across replicas; beyond: 429.",
    )
    subscription_minutes: int = Field(
        4320,
        ge=60,
        le=10080,
        description="Lifetime asked for each Graph subscription (Graph allows 10 080 minutes for messages); "
        "renewed once half of it has passed.",
    )
    subscription_seconds: float = Field(
        300.0,
        gt=0,
        description="How often subscriptions are created, renewed and removed as triggers change.",
    )
    timezone: str = Field("Europe/Paris", description="Wall clock of the schedules' cron expressions.")
    sender: str = Field(
        "ariane@chru-exemple.fr",
        description="Mailbox the approvers' notices and the schedules' reports are sent from (application "
        "access).",
    )

    model_key: SecretStr | None = Field(
        None,
        description="A service key of the gateway (`ariane-sk-…`, made by an administrator, scoped to the "
        "models and data classes allowed) under which a mail trigger may ask a model to read the robot's "
        "inputs in the message; unset: the rules read them.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value
