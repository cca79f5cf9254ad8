"""`ariane`: start Ariane, migrate its database, get a token for scripts."""

from __future__ import annotations

import asyncio
import logging
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import SecretStr, ValidationError

from server import __version__
from server.cli.processes import SharedDatabaseError
from server.cli.serving import PortInUseError, Site, StartupFailedError, ensure_port_free, serve_all
from server.cli.tools import tools_app
from server.settings import Settings
from tools.database import DatabaseUnavailableError, EmbeddedPostgres
from tools.tenant.settings import TenantSettings

app = typer.Typer(
    name="ariane",
    help="Ariane — institutional AI assistant platform for hospital administrative services.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
eval_app = typer.Typer(help="Evaluation suites.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(tools_app, name="tools")


class CliError(Exception):
    """A failure the operator can fix; printed as one line, exit code 1."""


def _fail(message: str) -> None:
    typer.secho(f"ariane: {message}", fg=typer.colors.RED, err=True)


def _settings(**overrides: object) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        raise CliError(f"invalid settings: {exc}") from exc
    updates = {name: value for name, value in overrides.items() if value is not None}
    return settings.model_copy(update=updates)


def tenant_settings_for(settings: Settings) -> TenantSettings:
    """The embedded tenant's settings, agreeing with the server's on where it runs and keeps its keys."""
    tenant = TenantSettings()
    updates: dict[str, object] = {"host": settings.tenant_host, "port": settings.tenant_port}
    if "data_dir" not in tenant.model_fields_set:
        updates["data_dir"] = settings.data_dir / "tenant"
    return tenant.model_copy(update=updates)


@contextmanager
def database(settings: Settings) -> Iterator[Settings]:
    """Settings with a reachable, migrated database: `DATABASE_URL`, or the embedded server meanwhile."""
    from server.migrations import migrate

    embedded: EmbeddedPostgres | None = None
    if settings.database_url is None:
        embedded = EmbeddedPostgres(
            settings.data_dir / "postgres",
            shared_buffers_mb=settings.embedded_db_shared_buffers_mb,
        )
        settings = settings.model_copy(update={"database_url": SecretStr(embedded.start())})
    try:
        assert settings.database_url is not None
        try:
            migrate(settings.database_url.get_secret_value())
        except Exception as exc:  # SQLAlchemy/psycopg connection errors: report them in one line
            raise DatabaseUnavailableError(
                f"PostgreSQL cannot be reached or migrated: {_first_line(exc)}"
            ) from exc
        yield settings
    finally:
        if embedded is not None:
            embedded.stop()


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(levelname)s %(name)s: %(message)s")
    # The embedded server's wrapper narrates every pg_ctl call at INFO; only its problems matter here.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ariane {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Ariane — institutional AI assistant platform for hospital administrative services."""


@app.command()
def up(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (ARIANE_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port of the web app and API (ARIANE_PORT).")] = None,
    tenant_port: Annotated[
        int | None, typer.Option(help="Port of the local Microsoft 365 tenant (ARIANE_TENANT_PORT).")
    ] = None,
) -> None:
    """Start everything on the embedded defaults and print the URL; Ctrl-C stops cleanly."""
    from server.app import create_app
    from tools.tenant.app import create_tenant_app

    settings = _settings(host=host, port=port, tenant_port=tenant_port)
    _configure_logging(settings.log_level)
    ensure_port_free(settings.host, settings.port)
    sites = []
    if settings.embedded_identity:
        ensure_port_free(settings.tenant_host, settings.tenant_port)
        tenant = create_tenant_app(tenant_settings_for(settings))
        sites.append(Site("tenant", tenant, settings.tenant_host, settings.tenant_port))
    with database(settings) as ready:
        sites.append(Site("ariane", create_app(ready, seed_knowledge=True), ready.host, ready.port))

        def announce() -> None:
            typer.secho(f"Ariane is running at {ready.base_url}  (Ctrl-C to stop)", fg=typer.colors.GREEN)

        asyncio.run(serve_all(sites, settings.log_level, announce))
    typer.echo("Ariane stopped.")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (ARIANE_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port of the web app and API (ARIANE_PORT).")] = None,
) -> None:
    """Serve the web app, /api, /v1 and /mcp as one of several replicas around DATABASE_URL."""
    from server.app import create_app
    from server.cli.processes import require_shared_database

    settings = _settings(host=host, port=port)
    _configure_logging(settings.log_level)
    require_shared_database(settings, "serve")
    ensure_port_free(settings.host, settings.port)
    site = Site("ariane", create_app(settings, background=False, seed=False), settings.host, settings.port)

    def announce() -> None:
        typer.secho(f"Ariane replica serving at {settings.base_url}  (Ctrl-C to stop)", fg=typer.colors.GREEN)

    asyncio.run(serve_all([site], settings.log_level, announce))
    typer.echo("Ariane replica stopped.")


@app.command()
def tenant(
    port: Annotated[int | None, typer.Option(help="Port to listen on (ARIANE_TENANT_PORT).")] = None,
) -> None:
    """Run the local Microsoft 365 tenant (identity provider) alone."""
    from tools.tenant.app import create_tenant_app

    settings = tenant_settings_for(_settings(tenant_port=port))
    ensure_port_free(settings.host, settings.port)

    def announce() -> None:
        typer.secho(f"Local tenant running at {settings.base_url}", fg=typer.colors.GREEN)

    sites = [Site("tenant", create_tenant_app(settings), settings.host, settings.port)]
    asyncio.run(serve_all(sites, "info", announce))


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help="The question, in French or English.")],
    user: Annotated[str | None, typer.Option(help="Ask as this user of the local directory.")] = None,
    token: Annotated[str | None, typer.Option(help="Ask with this bearer token (any issuer).")] = None,
    assistant: Annotated[str | None, typer.Option(help="Assistant id to ask.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """One chat turn as a user: prints the answer and its citations (JSON with --json)."""
    from server.cli.ask import ask, render

    settings = _settings()
    _configure_logging("warning")
    with database(settings) as ready:
        result = asyncio.run(ask(ready, question, user=user, token=token, assistant=assistant))
    typer.echo(render(result, as_json))
    if result["status"] != "done":
        if as_json and result["error"]:
            _fail(result["error"]["detail"])
        raise typer.Exit(1)


@app.command()
def gateway(
    port: Annotated[int | None, typer.Option(help="Port to listen on (ARIANE_GATEWAY_PORT).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Processes serving the port (ARIANE_GATEWAY_WORKERS).", min=1)
    ] = None,
) -> None:
    """Run the LLM gateway alone (`/v1`, a gateway replica); the database must be reachable."""
    from server.cli.workers import serve_workers
    from server.gateway.standalone import create_gateway_app

    settings = _settings(gateway_port=port, gateway_workers=workers)
    _configure_logging(settings.log_level)
    ensure_port_free(settings.gateway_host, settings.gateway_port)
    with database(settings) as ready:
        site = Site("gateway", create_gateway_app(ready), ready.gateway_host, ready.gateway_port)

        def announce() -> None:
            url = f"http://{ready.gateway_host}:{ready.gateway_port}/v1"
            typer.secho(f"Ariane gateway running at {url}  (Ctrl-C to stop)", fg=typer.colors.GREEN)

        serve_workers(site, settings.gateway_workers, settings.log_level, announce)
    typer.echo("Ariane gateway stopped.")


@app.command()
def worker() -> None:
    """Run background work alone (robot jobs, health checks, retention); start as many as needed."""
    from server.background import run_worker
    from server.cli.processes import require_shared_database, run_until_signal

    settings = _settings()
    _configure_logging(settings.log_level)
    require_shared_database(settings, "worker")

    def announce() -> None:
        typer.secho("Ariane worker running  (Ctrl-C to stop)", fg=typer.colors.GREEN)

    asyncio.run(run_until_signal(lambda stop, ready: run_worker(settings, stop, ready), announce))
    typer.echo("Ariane worker stopped.")


@app.command()
def runner(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (ARIANE_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (ARIANE_PORT).")] = None,
) -> None:
    """Run the tool runner: registered stdio tool servers start here, for the `serve` replicas."""
    from server.cli.processes import require_shared_database
    from server.registry.runner_app import runner_process_app

    settings = _settings(host=host, port=port)
    _configure_logging(settings.log_level)
    require_shared_database(settings, "runner")
    if not settings.registry_runner_key.get_secret_value():
        raise SharedDatabaseError("`ariane runner` needs ARIANE_REGISTRY_RUNNER_KEY: the replicas present it")
    ensure_port_free(settings.host, settings.port)
    site = Site("runner", runner_process_app(settings), settings.host, settings.port)

    def announce() -> None:
        where = f"ws://{settings.host}:{settings.port}"
        typer.secho(f"Ariane tool runner at {where}  (Ctrl-C to stop)", fg=typer.colors.GREEN)

    asyncio.run(serve_all([site], settings.log_level, announce))
    typer.echo("Ariane tool runner stopped.")


@eval_app.command("run")
def eval_run(
    suites: Annotated[list[str] | None, typer.Argument(help="Suites to run (default: all).")] = None,
    scripted: Annotated[
        bool, typer.Option(help="Answer with the scripted model behind the gateway (else extractive).")
    ] = False,
    split: Annotated[str | None, typer.Option(help="Only the cases of this split (dev or test).")] = None,
) -> None:
    """Run evaluation suites offline; prints a table and writes evals/reports/eval-SUITE-MODE.json."""
    options = [*(["--scripted"] if scripted else []), *([f"--split={split}"] if split else [])]
    code = _run_module("evals", [*(suites or []), *options])
    if code:
        raise typer.Exit(code)


@app.command()
def bench(
    names: Annotated[list[str] | None, typer.Argument(help="Benchmarks to run (default: all).")] = None,
) -> None:
    """Run benchmarks; prints tables and writes evals/reports/bench-NAME.json."""
    code = _run_module("evals.bench", names or [])
    if code:
        raise typer.Exit(code)


def _run_module(module: str, args: list[str]) -> int:
    """Run `python -m MODULE ARGS` in a process of its own; its exit code.

    The evaluations and benchmarks import the server (and this command line's helpers); the
    command line reaches them as programs, never by importing them, so that no import goes round
    in a circle.
    """
    import subprocess

    return subprocess.run([sys.executable, "-m", module, *args], check=False).returncode


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply the database migrations and add the catalogue's new robots (once per rollout)."""
    from server.cli.processes import seed_shared_data
    from server.migrations import head_revision

    with database(_settings()) as ready:
        asyncio.run(seed_shared_data(ready))
        typer.echo(f"Database at revision {head_revision()}.")


@app.command()
def token(email: Annotated[str, typer.Argument(help="Email of a user of the local directory.")]) -> None:
    """Print a bearer token for a user of the local identity provider (embedded defaults only)."""
    from tools.tenant.app import build_identity_provider
    from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID

    settings = _settings()
    if not settings.embedded_identity:
        raise CliError(
            f"tokens can only be minted by the local identity provider; the configured issuer is "
            f"{settings.oidc_issuer}: get a token from it instead"
        )
    provider = build_identity_provider(tenant_settings_for(settings))
    user = provider.directory.user_by_mail(email)
    if user is None:
        raise CliError(f"unknown user {email!r}: not in the local directory")
    typer.echo(
        provider.tokens.access_token(
            user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
        )
    )


def _register_subcommands() -> None:
    from server.cli.approvals import approvals_app
    from server.cli.automations import automations_app
    from server.cli.batch import batch_app
    from server.cli.governance import governance_app

    app.add_typer(approvals_app, name="approvals")
    app.add_typer(automations_app, name="automations")
    app.add_typer(batch_app, name="batch")
    app.add_typer(governance_app, name="governance")


_register_subcommands()


def main() -> None:
    """Entry point: run the command, turning expected failures into one clear line and exit code 1."""
    # pgserver's lock path asks platformdirs for a runtime dir, which servers often lack; harmless.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    try:
        app()
    except BaseException as exc:  # the command line's boundary: expected failures, however wrapped
        expected = _expected(exc)
        if expected is None:
            raise
        _fail(str(expected))
        sys.exit(1)


_EXPECTED = (CliError, DatabaseUnavailableError, PortInUseError, StartupFailedError, SharedDatabaseError)


def _expected(exc: BaseException) -> BaseException | None:
    """The expected failure `exc` is, or carries in its exception group; None for anything else.

    An app run in process wraps what its lifespan's task group sees in exception groups.
    """
    if isinstance(exc, _EXPECTED):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _expected(inner)
            if found is not None:
                return found
    return None
