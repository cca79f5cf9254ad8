"""Settings of the Ariane server, read once at start from the environment and `.env`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from server.auth.roles import DEFAULT_ROLE_GROUPS, Role
from server.automations.settings import AutomationsSettings
from server.gateway.upstream_settings import UpstreamSettings
from server.governance.settings import GovernanceSettings
from server.intake.settings import IntakeSettings
from server.registry.launch import AllowedCommand
from server.registry.sandbox import SandboxMode
from server.robots.artifact_settings import ArtifactSettings
from tools.doctext.settings import ReadingSettings
from tools.robots.runners.uipath import UiPathSettings

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything the server can be told; each field maps to `ARIANE_<NAME>` unless it says otherwise."""

    model_config = SettingsConfigDict(
        env_prefix="ARIANE_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    host: str = Field("127.0.0.1", description="Interface the web app and API listen on.")
    port: int = Field(8000, ge=1, le=65535, description="Port of the web app, `/api`, `/v1` and `/mcp`.")
    public_url: str | None = Field(
        None, description="URL users reach Ariane at (default: `http://HOST:PORT`)."
    )
    internal_api_url: str | None = Field(
        None,
        description="URL this process reaches Ariane's API and gateway (`/v1`) at: set it for "
        "`ariane worker` (batch rows, evaluations), e.g. `http://ariane-serve:8000`. Unset: the "
        "process's own `http://HOST:PORT` (loopback when listening on all interfaces).",
    )
    data_dir: Path = Field(
        REPO_ROOT / ".ariane",
        description="Folder for local data: embedded PostgreSQL, identity keys, artefacts.",
    )
    database_url: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("DATABASE_URL", "ARIANE_DATABASE_URL"),
        description="PostgreSQL ≥ 15 with pgvector. Unset: the embedded server under `DATA_DIR/postgres`.",
    )
    db_pool_max: int = Field(10, ge=1, description="Largest number of pooled database connections.")
    embedded_db_shared_buffers_mb: int = Field(
        32,
        ge=16,
        description="Buffer cache of the embedded PostgreSQL (MiB), applied at its start; the "
        "operating system's page cache keeps the rest of its files. Ignored with `DATABASE_URL`.",
    )

    oidc_issuer: str | None = Field(
        None,
        description="OpenID Connect issuer (e.g. `https://login.microsoftonline.com/TENANT/v2.0`). "
        "Unset: the local identity provider of the embedded tenant.",
    )
    oidc_audience: str = Field("api://ariane", description="Audience that access tokens must carry.")
    oidc_web_client_id: str = Field(
        "ariane-web", description="Public client the web app signs in with (authorization code + PKCE)."
    )
    oidc_scope: str = Field(
        "openid profile email offline_access api://ariane/access_as_user",
        description="Scopes the web app asks for (`offline_access`: a refresh token, for silent renewal).",
    )
    role_groups: dict[str, list[Role]] = Field(
        default_factory=lambda: dict(DEFAULT_ROLE_GROUPS),
        description="JSON object mapping a group id of the `groups` claim to Ariane roles.",
    )

    tenant_host: str = Field("127.0.0.1", description="Interface of the local Microsoft 365 tenant.")
    tenant_port: int = Field(8001, ge=1, le=65535, description="Port of the local Microsoft 365 tenant.")

    fixed_now: datetime | None = Field(
        None,
        description="Instant every run takes as « now » (evaluations, demos); unset: the real clock.",
    )
    web_dist: Path = Field(REPO_ROOT / "web" / "dist", description="Built web app served at `/`.")
    answer_link_hosts: list[str] = Field(
        default_factory=lambda: ["chru-exemple.fr", ".chru-exemple.fr"],
        description="JSON list of hosts whose links in answers are clickable (`.domain`: its "
        "subdomains); any other link is shown as text. Ariane's own paths always are.",
    )
    max_body_bytes: int = Field(
        1024 * 1024,
        gt=0,
        description="Largest request body outside `/v1` and uploads; larger ones get 413.",
    )
    max_header_bytes: int = Field(
        16 * 1024, gt=0, description="Largest total size of a request's headers; larger get 431."
    )
    max_headers: int = Field(100, gt=0, description="Most headers a request may carry; more get 431.")
    max_json_depth: int = Field(
        64,
        gt=0,
        description="Deepest nesting of a JSON body outside `/v1` (which allows 64); deeper gets 400.",
    )
    api_docs: bool = Field(
        False,
        description="Serve the interactive API documentation (Swagger UI, from the local "
        "`swagger-ui-bundle` package, never a CDN) at `/docs`. `/openapi.json` is always served.",
    )
    log_level: str = Field("info", description="Log level of the server (`debug`, `info`, `warning`).")

    otel_service_name: str = Field(
        "ariane",
        validation_alias=AliasChoices("OTEL_SERVICE_NAME"),
        description="`OTEL_SERVICE_NAME`: service name on traces.",
    )
    otel_exporter_otlp_endpoint: str | None = Field(
        None,
        validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT"),
        description="`OTEL_EXPORTER_OTLP_ENDPOINT`: OTLP collector; unset, traces stay in the audit store.",
    )

    audit_capture_content: bool = Field(
        True,
        description="Record the content of runs (messages, model exchanges, tool arguments and results), "
        "which exact replay needs; off: only what was called, when and by whom.",
    )
    audit_redact_patterns: list[str] = Field(
        default_factory=list,
        description="JSON list of regular expressions masked in recorded content "
        "(tokens and keys always are).",
    )
    audit_anchor_dir: Path | None = Field(
        None,
        description="Folder of the anchor key file made on the embedded defaults, and of an earlier "
        "release's `anchors.jsonl`/`cuts.jsonl`, taken into the database at start "
        "(default `DATA_DIR/audit`).",
    )
    audit_anchor_key: SecretStr | None = Field(
        None,
        description="Ed25519 private key (PEM, PKCS#8) signing audit anchors and retention cuts, the same "
        "for every replica; required by `ariane serve` and `ariane worker`. Unset (`ariane up`): a key "
        "file created in the anchor folder.",
    )
    audit_anchor_seconds: float = Field(
        60.0,
        gt=0,
        description="How often the chain head is signed into the stored anchors (and at exit).",
    )
    audit_batch_size: int = Field(1000, ge=1, description="Largest batch of audit records written at once.")
    audit_retention_days: int = Field(
        0,
        ge=0,
        description="Days audit records are kept: older whole runs are deleted daily behind a signed "
        "retention cut (`ariane audit purge`); 0 keeps everything forever.",
    )

    gateway_host: str = Field("127.0.0.1", description="Interface `ariane gateway` listens on.")
    gateway_port: int = Field(
        8002, ge=1, le=65535, description="Port of `ariane gateway` (the gateway alone)."
    )
    gateway_workers: int = Field(
        1,
        ge=1,
        description="Processes of `ariane gateway` serving its port (one core each); they share policy, "
        "keys, quotas and metering through PostgreSQL.",
    )
    gateway_policy_file: Path = Field(
        REPO_ROOT / "server" / "gateway" / "policy.yaml",
        description="Default model catalogue and policy (YAML); versions saved by admins take precedence.",
    )
    gateway_upstreams: dict[str, UpstreamSettings] = Field(
        default_factory=dict,
        description="Per provider of the policy: `ARIANE_GATEWAY_UPSTREAMS__<NAME>__BASE_URL`, `__API_KEY`, "
        "`__HEADERS`, `__API_VERSION`, `__TIMEOUT_SECONDS`, `__ENABLED`. A provider without base URL is off.",
    )
    gateway_policy_refresh_seconds: float = Field(
        5.0,
        ge=0,
        description="How long a replica may serve the policy, assistants and service keys it read when "
        "the notice of a change made elsewhere is lost (notices make it at once).",
    )
    gateway_max_body_bytes: int = Field(
        4 * 1024 * 1024, gt=0, description="Largest `/v1` request body; larger ones get 413."
    )
    gateway_idempotency_claim_seconds: float = Field(
        300.0,
        gt=0,
        description="How long a `/v1` call with an `Idempotency-Key` holds its key without an answer "
        "(repeats meanwhile get 409); past it, a repeat calls the model again (its first caller died).",
    )
    gateway_retry_backoff_seconds: float = Field(
        0.2, ge=0, description="Pause before retrying a failed upstream call (times the attempt number)."
    )
    gateway_embeddings_preload: bool = Field(
        True, description="Load the local embedding model at start (in a thread) rather than at first use."
    )
    gateway_embedding_cache_days: int = Field(
        30,
        ge=0,
        description="Days the local model's vectors stay in the shared cache (PostgreSQL, by text digest): "
        "a text is embedded once, not at every turn. 0: no cache.",
    )
    gateway_embedding_threads: int | None = Field(
        1,
        ge=1,
        description="CPU threads of the local embedding model: 1 keeps one query fast and leaves the other "
        "cores to the server; raise it for bulk indexing (unset: PyTorch's default, one per core).",
    )
    knowledge_max_upload_bytes: int = Field(
        20 * 1024 * 1024,
        gt=0,
        description="Largest knowledge document accepted for upload; larger ones get 413.",
    )
    attachment_max_bytes: int = Field(
        10 * 1024 * 1024,
        gt=0,
        description="Largest file a user may attach to a conversation; larger ones get 413.",
    )
    reading: ReadingSettings = Field(
        default_factory=ReadingSettings,
        description="Bounds of the subprocess reading an uploaded file (knowledge, attachment, batch table): "
        "`ARIANE_READING__MEMORY_MB`, `__CPU_SECONDS`, `__TIMEOUT_SECONDS`; past one: 422.",
    )

    robots_catalogue_file: Path = Field(
        REPO_ROOT / "tools" / "robots" / "catalogue.yaml",
        description="Robot catalogue seeded into the database at start (robots already there are kept).",
    )
    robots_tasks_dir: Path = Field(
        REPO_ROOT / "tools" / "robots" / "tasks",
        description="Folder of the local robots' Robot Framework tasks (`runner_settings.task` is in it).",
    )
    robots_approval_ttl_minutes: int = Field(
        24 * 60, ge=1, description="How long a robot launch request waits for a decision before it expires."
    )
    robots_sweep_seconds: float = Field(
        30.0, gt=0, description="How often expired approvals and unreported decisions are swept."
    )
    robots_tenant_key: SecretStr = Field(
        SecretStr("ariane-robots-local-key"),
        description="Key local robots present to the tenant's sample systems (= `TENANT_ROBOT_API_KEY`).",
    )
    artifacts: ArtifactSettings = Field(
        default_factory=ArtifactSettings,
        description="Where robot job files are kept, for every replica: `ARIANE_ARTIFACTS__STORE` "
        "(`postgres` or `s3`), `__RETENTION_DAYS`, `__S3_ENDPOINT`, `__S3_BUCKET`, `__S3_REGION`, "
        "`__S3_ACCESS_KEY_ID`, `__S3_SECRET_ACCESS_KEY`, `__S3_PREFIX`.",
    )
    uipath: UiPathSettings = Field(
        default_factory=UiPathSettings,
        description="UiPath Orchestrator: `ARIANE_UIPATH__URL`, `__IDENTITY_URL`, `__CLIENT_ID`, "
        "`__CLIENT_SECRET`, `__SCOPE`, `__FOLDER_ID`, `__POLL_SECONDS`. Unset URL: UiPath jobs fail "
        "with a clear message.",
    )

    batch_max_upload_bytes: int = Field(
        10 * 1024 * 1024, gt=0, description="Largest table (CSV or XLSX) accepted for batch letters (10 Mo)."
    )
    batch_max_rows: int = Field(5000, gt=0, description="Most rows a batch of letters may have.")
    batch_concurrency: int = Field(
        4,
        ge=1,
        le=64,
        description="Most rows of one batch in flight at once (the gateway's 429s lower it while they last).",
    )
    batch_max_attempts: int = Field(
        3, ge=1, le=10, description="Attempts per row on upstream failures (429s do not count)."
    )
    batch_retry_backoff_seconds: float = Field(
        2.0, ge=0, description="Pause before a row's second attempt; doubled at each further attempt."
    )
    batch_lease_seconds: float = Field(
        30.0,
        gt=0,
        description="How long a process holds a running batch without renewing it (takeover after).",
    )
    intake: IntakeSettings = Field(
        default_factory=IntakeSettings,
        description="Courrier entrant: `ARIANE_INTAKE__THRESHOLD`, `__MAX_UPLOAD_BYTES`, `__MAX_PAGES`, "
        "`__TESSERACT`, `__WORKERS`, `__DPI_URL`, `__DPI_KEY`, `__DROP_DIR`, … (README).",
    )

    automations: AutomationsSettings = Field(
        default_factory=AutomationsSettings,
        description="Automatisations: `ARIANE_AUTOMATIONS__ENABLED`, `__POLL_SECONDS`, `__SCHEDULE_SECONDS`, "
        "`__TIMEZONE`, `__SENDER` (README).",
    )

    governance: GovernanceSettings = Field(
        default_factory=GovernanceSettings,
        description="Gouvernance: `ARIANE_GOVERNANCE__SHADOW_MAX_UPLOAD_BYTES`, `__SHADOW_MIN_GROUP`, "
        "`__SHADOW_SAMPLE`, `__EVAL_INTERVAL_HOURS`, `__SCORE_FLOOR`, `__DROP_MARGIN`, … (README).",
    )

    registry_secret_key: SecretStr | None = Field(
        None,
        description="Fernet key encrypting registered tool servers' secrets (bearer, OAuth, env), the same "
        "for every replica; required by `ariane serve` and `ariane worker`. Unset (`ariane up`): a key "
        "file created under `DATA_DIR/registry` (mode 0600).",
    )
    registry_connect_timeout_seconds: float = Field(
        15.0,
        gt=0,
        description="Longest wait for a registered MCP server to start, answer and list its tools.",
    )
    registry_tool_timeout_seconds: float = Field(
        30.0, gt=0, description="Default timeout of one call to a registered tool (adjustable per tool)."
    )
    registry_rate_per_minute: int = Field(
        30,
        gt=0,
        description="Default calls per minute and user to one registered tool (adjustable per tool).",
    )
    registry_max_result_bytes: int = Field(
        200_000, gt=0, description="Default largest result of a registered tool (adjustable per tool)."
    )
    registry_confirmation_hours: float = Field(
        24.0,
        gt=0,
        description="How long a held destructive or open-world tool call may be confirmed; later, the "
        "user asks again (what they meant then may no longer hold).",
    )
    registry_health_interval_seconds: float = Field(
        300.0, ge=0, description="Interval of the health checks of registered servers (0: only on demand)."
    )
    registry_breaker_failures: int = Field(
        3, gt=0, description="Consecutive failures of a tool server that open its circuit breaker."
    )
    registry_breaker_seconds: float = Field(
        60.0,
        gt=0,
        description="How long an open circuit breaker refuses calls before trying the server again.",
    )
    registry_sandbox: SandboxMode = Field(
        SandboxMode.BUBBLEWRAP,
        description="How stdio tool servers are isolated: `bubblewrap` (namespaces, own user as root; "
        "stdio servers cannot start where it does not work) or `none` (no isolation: reduced environment "
        "only).",
    )
    registry_sandbox_uid: int = Field(
        64_000,
        ge=1,
        description="User (and group) id stdio tool servers run as when Ariane runs as root; it must own "
        "no file.",
    )
    registry_runner_url: str | None = Field(
        None,
        description="URL of the tool runner (`ariane runner`, `ws://HOST:PORT`) that starts registered "
        "stdio servers; `ariane serve` never starts them itself (unset there: they are unavailable). "
        "Unset for `ariane up` and `ariane worker`: they start them in their own process.",
    )
    registry_runner_key: SecretStr = Field(
        SecretStr(""),
        description="Key shared by the tool runner and the processes that reach it (required by "
        "`ariane runner`).",
    )
    registry_commands: dict[str, AllowedCommand] = Field(
        default_factory=dict,
        description="JSON object: commands a developer may name to register a stdio server, "
        '`{"name": {"argv": ["/usr/bin/node", "/opt/srv/index.js"], "paths": ["/opt/srv"]}}`.',
    )
    ssrf_allowed_hosts: list[str] = Field(
        default_factory=list,
        description="JSON list of hosts, addresses or networks (CIDR, `host:port`) Ariane may fetch for "
        "a user although private, loopback or link-local (registered tool servers, OAuth issuers).",
    )

    work_concurrency: int = Field(4, ge=1, description="Work items (robot jobs, …) one process runs at once.")
    work_lease_seconds: float = Field(
        30.0,
        gt=0,
        description="How long a process holds a work item or periodic task without renewing it; the work "
        "of a process silent longer is taken over by another.",
    )
    work_heartbeat_seconds: float = Field(
        10.0, gt=0, description="How often a process renews its leases (keep it well under the lease)."
    )
    work_idle_seconds: float = Field(
        30.0,
        gt=0,
        description="Longest sleep of an idle worker; new work wakes it at once through NOTIFY.",
    )
    work_keep_days: int = Field(7, ge=1, description="Days finished work items are kept for inspection.")

    @property
    def embedded_identity(self) -> bool:
        """True when the local identity provider of the embedded tenant is the issuer."""
        return self.oidc_issuer is None

    @property
    def base_url(self) -> str:
        """URL of the web app as users reach it."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def internal_url(self) -> str:
        """URL this server reaches itself at (agents → `/v1` and `/mcp`): loopback when listening on all.

        `internal_api_url` when set (a worker reaches the API replicas through their service).
        """
        if self.internal_api_url:
            return self.internal_api_url.rstrip("/")
        host = "127.0.0.1" if self.host in {"0.0.0.0", "::", ""} else self.host
        return f"http://{host}:{self.port}"

    @property
    def tenant_url(self) -> str:
        """URL of the local Microsoft 365 tenant."""
        return f"http://{self.tenant_host}:{self.tenant_port}"
