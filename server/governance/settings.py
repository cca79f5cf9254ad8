"""Settings of governance (`ARIANE_GOVERNANCE__<NAME>`), one group of the server's `Settings`."""

from __future__ import annotations

from pydantic import BaseModel, Field


class GovernanceSettings(BaseModel):
    """The map of AI systems, drift alerts, data quality, shadow-AI reports."""

    shadow_max_upload_bytes: int = Field(
        4 * 1024**3,
        gt=0,
        description="Largest proxy log accepted in one upload (413 above); it is read "
        "as it arrives, never held whole.",
    )
    shadow_min_group: int = Field(
        3,
        ge=1,
        description="Groups (service, job category) with fewer people are folded into « Autres » "
        "in the pseudonymised views (everyone but the security role).",
    )
    shadow_sample: bool = Field(
        True,
        description="`ariane up` imports the local tenant's sample proxy log when no report exists "
        "(embedded tenant only).",
    )
    evaluations: bool = Field(
        True,
        description="Workers run the evaluation suites on a schedule and on changes (test runs turn "
        "this off: an evaluation chats with the server as real users).",
    )
    eval_interval_hours: float = Field(
        24.0, gt=0, description="How often the evaluation suites run on a schedule (nightly by default)."
    )
    change_check_seconds: float = Field(
        60.0,
        gt=0,
        description="How often a worker looks for a change of policy, assistant version or knowledge "
        "collection since the last evaluation (a change queues one evaluation run).",
    )
    eval_timeout_seconds: float = Field(
        1800.0, gt=0, description="Longest an evaluation run may take (`python -m evals.live`)."
    )
    score_floor: float = Field(
        0.7,
        ge=0,
        le=1,
        description="Default floor of every evaluation score (a system's sheet may set "
        "its own per score); a result below it alerts.",
    )
    drop_margin: float = Field(
        0.1,
        ge=0,
        le=1,
        description="A score falling by more than this since the previous run alerts, even above its floor.",
    )
    alert_sender: str = Field(
        "ariane@chru-exemple.fr",
        max_length=320,
        description="Mailbox score alerts are sent from, as the application (its application access "
        "policy must list it); empty: alerts are shown in Activité only, never mailed.",
    )
    review_months: int = Field(
        12,
        ge=1,
        description="A knowledge document without a review date is due for review this many "
        "months after it was indexed.",
    )
