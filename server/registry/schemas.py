"""Shapes of `/api/tools/...`: registration requests, servers with their tools, findings, permissions."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, StrictBool, field_validator, model_validator

from server.auth.roles import Role
from server.gateway.policy import DataClass, Hosting
from server.registry.launch import PACKAGE_NAME, VERSION

SERVER_NAME = re.compile(r"^[a-z][a-z0-9_-]{1,39}$")
ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class Transport(StrEnum):
    """How Ariane reaches a server: one of its own (built in), streamable HTTP or stdio."""

    BUILTIN = "builtin"
    HTTP = "http"
    STDIO = "stdio"


class ServerStatus(StrEnum):
    """A server is usable once an administrator approved it, until someone suspends it."""

    PENDING_REVIEW = "pending_review"
    ACTIVE = "active"
    SUSPENDED = "suspended"


class ToolStatus(StrEnum):
    """A tool is callable when `active` on an active server; `flagged` tools cannot be activated."""

    PENDING_REVIEW = "pending_review"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    FLAGGED = "flagged"


class Severity(StrEnum):
    """`error` refuses the registration, `danger` flags the tool, `warning` is for the reviewer."""

    ERROR = "error"
    DANGER = "danger"
    WARNING = "warning"


class Finding(BaseModel):
    """One result of the checks, about one tool (or the whole server when `tool` is None)."""

    tool: str | None
    field: str
    code: str
    severity: Severity
    detail: str
    excerpt: str = ""


class KeptFinding(Finding):
    """A finding as a tool row keeps it, with its detail's catalogue id and parameters (`Text.stored()`).

    `detail` stays the French sentence (what older releases show); `text` renders it in the reader's
    language (`views.finding_out`). Findings stored before it have none and are shown as stored.
    """

    text: dict[str, Any] | None = None


class OAuthIn(BaseModel):
    """OAuth 2 client credentials for a server behind an authorization server."""

    client_id: str = Field(min_length=1, max_length=200)
    client_secret: SecretStr
    issuer: str | None = Field(None, description="Authorization server the credentials belong to.")
    scope: str | None = None


class Limits(BaseModel):
    """Runtime limits of a tool; unset fields take the registry's defaults."""

    timeout_seconds: float | None = Field(None, ge=0.1, le=600)  # 5e-324 (> 0) overflowed PostgreSQL: a 500
    rate_per_minute: int | None = Field(None, gt=0, le=10_000)
    max_result_bytes: int | None = Field(None, gt=0, le=10_000_000)


class RegisterIn(BaseModel):
    """Declare an MCP server: by URL, or over stdio by package and version or allow-listed command.

    Nothing is started or contacted until a reviewer inspects it.
    """

    name: str = Field(description="Short name: lowercase letters, digits, `-` or `_` (2 to 40).")
    url: str | None = Field(None, max_length=2000, description="Streamable HTTP endpoint.")
    bearer: SecretStr | None = Field(None, description="Bearer token sent to the URL (stored encrypted).")
    oauth: OAuthIn | None = None
    package: str | None = Field(
        None, max_length=100, description="Python package (PyPI name) of a stdio server, with `version`."
    )
    version: str | None = Field(None, max_length=64, description="Exact version of `package`.")
    command: str | None = Field(
        None,
        max_length=4000,  # a command line pasted here gets its clear refusal, `command_not_allowed`
        description="Name of a command administrators allowed (`ARIANE_REGISTRY_COMMANDS`), for stdio.",
    )
    args: list[str] = Field(default_factory=list, max_length=64, description="Arguments of a stdio server.")
    env: dict[str, SecretStr] = Field(default_factory=dict, description="Environment (stored encrypted).")
    network: StrictBool = Field(False, description="A stdio server may use the network (reviewed).")
    hosting: Hosting = Field(Hosting.ON_PREM, description="Where the server runs, as for a model.")
    data_class: DataClass = Field(
        DataClass.PUBLIC,
        description="Most sensitive data class it may receive: a run above it never sends it anything.",
    )
    roles: list[Role] = Field(default_factory=lambda: [Role.STAFF], description="Roles that may use it.")
    services: list[str] = Field(default_factory=list, description="Services that may use it (empty: all).")
    assistants: list[str] = Field(
        default_factory=list, description="Assistants granted its tools (empty: those that declare it)."
    )
    limits: Limits = Field(default_factory=Limits)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not SERVER_NAME.match(value):
            raise ValueError("name must be 2-40 lowercase letters, digits, '-' or '_'")
        return value

    @model_validator(mode="after")
    def _one_way(self) -> RegisterIn:
        ways = [self.url is not None, self.package is not None, self.command is not None]
        if sum(ways) != 1:
            raise ValueError("give one of url, package (with version) or command")
        if (self.package is None) != (self.version is None):
            raise ValueError("package and version go together")
        if self.package is not None and not PACKAGE_NAME.match(self.package):
            raise ValueError("invalid package name")
        if self.version is not None and not VERSION.match(self.version):
            raise ValueError("invalid version")
        if self.url is None and (self.bearer or self.oauth):
            raise ValueError("bearer and oauth go with url")
        if self.url is not None and (self.env or self.args or self.network):
            raise ValueError("env, args and network go with a stdio server")
        if any(len(arg) > 1000 or "\x00" in arg for arg in self.args):
            raise ValueError("invalid argument")
        if self.data_class is DataClass.HEALTH and self.hosting not in {Hosting.HDS, Hosting.ON_PREM}:
            raise ValueError("health data only to an HDS-certified or on-premises host")
        if self.data_class is DataClass.PERSONAL and self.hosting is Hosting.NON_EU:
            raise ValueError("personal data never to a host outside the EU")
        if self.bearer and self.oauth:
            raise ValueError("bearer or oauth, not both")
        bad = [key for key in self.env if not ENV_KEY.match(key)]
        if bad:
            raise ValueError(f"invalid env names: {bad}")
        return self


class ToolReview(BaseModel):
    """The reviewer's judgement of a tool; anything not reviewed read-only waits for confirmation."""

    read_only: StrictBool = Field(False, description="Only reads: its calls are not held for confirmation.")
    destructive: StrictBool = Field(True, description="May delete or overwrite (shown on the confirmation).")


class ApproveIn(BaseModel):
    """`POST /api/tools/{name}/approve`: the reviewer's judgement per tool (unlisted: not read-only)."""

    tools: dict[str, ToolReview] = Field(default_factory=dict)


class ToolOut(BaseModel):
    """A tool as the registry shows it: definition, pin, findings, who may use it, limits."""

    name: str
    description: str
    status: ToolStatus
    status_reason: str
    digest: str
    approved_digest: str | None
    changed: bool = Field(description="True when the definition presented differs from the approved one.")
    diff: str = Field(description="Unified diff from the approved definition to the one presented.")
    input_schema: dict[str, Any]
    output_schema: dict[str, Any] | None
    annotations: dict[str, Any] = Field(description="What the server declares (never trusted).")
    review: ToolReview | None = Field(description="What the reviewer set at approval.")
    findings: list[Finding]
    roles: list[str]
    services: list[str]
    assistants: list[str]
    confirmation: bool = Field(description="Each call waits for the user's confirmation.")
    timeout_seconds: float
    rate_per_minute: int
    max_result_bytes: int


class ServerSummary(BaseModel):
    """A line of the registry."""

    name: str
    transport: Transport
    status: ServerStatus
    health: Literal["unknown", "ok", "failing"]
    tools: int
    active_tools: int
    attention: int = Field(description="Tools waiting for review, suspended or flagged.")
    registered_by: str
    created_at: datetime


class ServerOut(BaseModel):
    """A registered server with its tools (secrets are never shown)."""

    name: str
    transport: Transport
    url: str | None
    package: str | None
    package_version: str | None
    command: str | None
    args: list[str]
    env_keys: list[str]
    network: bool
    hosting: Hosting
    data_class: DataClass
    isolation: str = Field(description="What isolation the server runs with here.")
    auth: Literal["none", "bearer", "oauth"]
    status: ServerStatus
    inspected_at: datetime | None = Field(description="When a reviewer had it started and its tools listed.")
    inspected_by: str | None
    protocol_version: str | None
    server_info: dict[str, Any]
    health: Literal["unknown", "ok", "failing"]
    health_detail: str
    checked_at: datetime | None
    registered_by: str
    approved_by: str | None
    approved_at: datetime | None
    created_at: datetime
    tools: list[ToolOut]


class PermissionsIn(BaseModel):
    """Who may use a server's tools (or one tool's), and how each call is handled."""

    tool: str | None = Field(None, description="One tool; unset: every tool of the server.")
    roles: list[Role] | None = None
    services: list[str] | None = None
    assistants: list[str] | None = None
    confirmation: StrictBool | None = None
    limits: Limits = Field(default_factory=Limits)


class CheckOut(BaseModel):
    """`POST /api/tools/{name}/check`: the server's health and the tools a new definition suspended."""

    health: Literal["unknown", "ok", "failing"]
    detail: str
    suspended: list[str]
    new_tools: list[str]
