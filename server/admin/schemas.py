"""Shapes of `/api/admin/...`: the gateway's catalogue, policy versions, service keys and usage."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from server.gateway.policy import Capabilities, DataClass, Hosting, ModelKind, Prices


class CatalogueModel(BaseModel):
    """A model of the catalogue as administrators see it."""

    id: str
    label: str
    kind: ModelKind
    provider: str
    upstream_name: str
    hosting: Hosting
    data_classes: list[DataClass]
    aliases: list[str]
    fallbacks: list[str]
    capabilities: Capabilities
    prices: Prices
    configured: bool = Field(description="True when its provider has an upstream (or is local).")


class Catalogue(BaseModel):
    """`GET /api/admin/gateway/catalogue`."""

    policy_version: int
    models: list[CatalogueModel]


class PolicyOut(BaseModel):
    """The policy in force (or why there is none)."""

    version: int = Field(description="0: the default file of the repository; 1…: saved versions.")
    source: Literal["file", "saved", "none"]
    document: str
    author_email: str | None = None
    created_at: datetime | None = None
    comment: str = ""
    error: str | None = Field(None, description="Set when no valid policy is in force (gateway closed).")


class PolicyIn(BaseModel):
    """A new version proposed by an administrator."""

    # Bounded well under the body limit (1 MiB; a character outside the BMP escaped in JSON takes 12
    # bytes), so that a longer document is refused by its own rule (400), not by the edge (413).
    document: str = Field(min_length=1, max_length=80_000)
    comment: str = Field("", max_length=2000)
    base_version: StrictInt | None = Field(
        None, description="Version the edit started from; a newer one in force meanwhile gives 409."
    )


class PolicyIssue(BaseModel):
    """One problem of a proposed policy, where the editor can show it."""

    path: list[str | int] = Field(
        description='Place in the document: keys and list indexes (`["rules", 2]`); empty when unknown.'
    )
    message: str = Field(
        description="The problem in the caller's language (French unless `Accept-Language` asks English)."
    )
    line: int | None = Field(
        None, description="1-based line: of a YAML syntax error, or of the node `path` designates."
    )


class PolicyCheck(BaseModel):
    """`POST .../policy/validate`: the verdict and the diff against the policy in force."""

    valid: bool
    errors: list[str]
    issues: list[PolicyIssue] = Field(
        default_factory=list, description="The same problems one by one, each with its place."
    )
    diff: str


class PolicyVersion(BaseModel):
    """One entry of the history."""

    version: int
    comment: str
    diff: str
    author_email: str
    created_at: datetime
    document: str | None = None


class ServiceKeyIn(BaseModel):
    """A service key to create."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,62}$")
    service: str = Field(min_length=1, max_length=200)
    models: list[str] = Field(min_length=1)
    assistants: list[str] = Field(default_factory=list)
    data_classes: list[DataClass] = Field(default_factory=lambda: [DataClass.PUBLIC, DataClass.INTERNAL])
    tokens_per_day: int | None = Field(None, gt=0)


class ServiceKeyOut(BaseModel):
    """A service key as listed (never the key itself)."""

    id: str
    name: str
    service: str
    key_prefix: str
    models: list[str]
    assistants: list[str]
    data_classes: list[DataClass]
    tokens_per_day: int | None
    created_by: str
    created_at: datetime
    revoked_by: str | None
    revoked_at: datetime | None


class ServiceKeyCreated(ServiceKeyOut):
    """The key, shown once at creation."""

    key: str


class UsageRow(BaseModel):
    """Aggregated usage of one group."""

    key: str
    requests: int
    refused_or_failed: int
    input_tokens: int
    output_tokens: int
    cost_eur: float
    mean_latency_ms: float


class Usage(BaseModel):
    """`GET /api/admin/usage`: the last `days` days by user, service, job category, model and day."""

    days: int
    by_user: list[UsageRow]
    by_service: list[UsageRow]
    by_job_category: list[UsageRow]
    by_model: list[UsageRow]
    by_day: list[UsageRow]
