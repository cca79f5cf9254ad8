"""Test fixtures shared by all suites: offline guard, real embedded PostgreSQL, the app in process."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from pydantic import SecretStr

from server.app import create_app
from server.gateway.app import GatewayOptions
from server.gateway.embeddings import LocalEmbedder
from server.migrations import migrate
from server.settings import Settings
from tests.fakes.remembering_embedder import RememberingEmbedder
from tests.network_guard import network_guard
from tests.postgres import url_for_database
from tools.database import EmbeddedPostgres
from tools.doctext.settings import ReadingSettings
from tools.tenant.app import create_tenant_app
from tools.tenant.settings import TenantSettings

# No scheduled or change-triggered evaluation runs in tests (they would chat with the app under test
# as real users); also inherited by the `ariane` processes tests start.
os.environ.setdefault("ARIANE_GOVERNANCE__EVALUATIONS", "false")


# Properties are checked on what they generate, never on how fast: a CI machine busy with other
# workers must not fail a test because Hypothesis found input generation slow.
hypothesis_settings.register_profile("ariane", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("ariane")


def pytest_configure(config: pytest.Config) -> None:
    """Let each xdist worker keep its own interpreter's import path (`make pytest`: 3.11, 3.12, 3.13).

    xdist hands its local workers the controller's `sys.path`, so a 3.13 worker would import the
    3.11 venv's packages (and fail on their compiled parts). Each venv installs this checkout in
    editable mode, so a worker's own path already finds it; xdist then only prepends the directory.
    """
    if config.pluginmanager.hasplugin("xdist"):
        import xdist.workermanage

        xdist.workermanage._sys_path = None  # type: ignore[assignment]  # read when each worker starts


# The files that take longest (seconds of one run with --junitxml, 2026-12-07: 177, 117, 72, 72, 68,
# 66, 62, 61, 60, 60), first in the collection: `make pytest` hands files to the xdist workers in that
# order (--no-loadscope-reorder), so the run does not end with one worker alone on one of them (it did:
# the last 3 % of the tests took the last 190 s). A file missing here only runs later.
SLOWEST_FIRST = (
    "tests/server/test_openapi_contract.py",
    "tests/server/test_replicas.py",
    "tests/server/cli/test_tools_cli.py",
    "tests/server/batches/test_worker_takeover.py",
    "tests/server/governance/test_shadow_reports.py",
    "tests/server/gateway/test_policy_matrix.py",
    "tests/agents/test_answers_without_a_model.py",
    "tests/server/registry/test_registration.py",
    "tests/server/batches/test_restart.py",
    "tests/server/audit/test_retention.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the slowest files first, keeping the order within a file and among the others."""
    rank = {path: position for position, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


TENANT_URL = "http://127.0.0.1:8001"
_TEMPLATE_DB = "ariane_template"
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with network_guard(monkeypatch):
        yield


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The embedded PostgreSQL, started once per test session, with a migrated template database."""
    with EmbeddedPostgres(tmp_path_factory.mktemp("postgres")) as admin_url:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {_TEMPLATE_DB}")
        migrate(url_for_database(admin_url, _TEMPLATE_DB))
        yield admin_url


@pytest.fixture(scope="session")
def knowledge_embedder() -> Iterator[LocalEmbedder]:
    """The local embedding model, loaded once per session for the tests that index knowledge; each
    distinct text is embedded once per session (`tests/fakes/remembering_embedder.py`)."""
    model = RememberingEmbedder(threads=1)
    yield model
    model.close()


@pytest.fixture
def database_url(postgres_server: str) -> Iterator[str]:
    """A clean, migrated database of its own for each test (a copy of the template)."""
    name = f"test_{next(_counter)}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE_DB}")
    yield url_for_database(postgres_server, name)
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def tenant_settings(tmp_path: Path) -> TenantSettings:
    return TenantSettings(host="127.0.0.1", port=8001, data_dir=tmp_path / "tenant")


@pytest.fixture
def tenant_app(tenant_settings: TenantSettings):  # type: ignore[no-untyped-def]
    return create_tenant_app(tenant_settings)


@pytest.fixture
def reading_settings() -> ReadingSettings:
    """Bounds of the readers (uploads, SharePoint documents); a test parametrises it to make every
    reading run out of time."""
    return ReadingSettings()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, reading_settings: ReadingSettings) -> Settings:
    return Settings(
        database_url=SecretStr(database_url),
        reading=reading_settings,
        data_dir=tmp_path,
        tenant_host="127.0.0.1",
        tenant_port=8001,
        web_dist=tmp_path / "web-dist",
        gateway_embeddings_preload=False,  # tests that embed share one model (tests/server/gateway)
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
async def api(settings: Settings, tenant_app, knowledge_embedder) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """The Ariane app in process, validating tokens against the in-process tenant."""
    app = create_app(
        settings,
        identity_transport=httpx.ASGITransport(app=tenant_app),
        gateway=GatewayOptions(embedder=knowledge_embedder),
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ariane.test") as client:
            yield client


@pytest.fixture
def token_for(tenant_app):  # type: ignore[no-untyped-def]
    """Mint an Ariane access token for a user of the directory, as the sign-in flow would."""
    from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID

    provider = tenant_app.state.identity

    def mint(email: str) -> str:
        user = provider.directory.user_by_mail(email)
        assert user is not None, email
        return str(
            provider.tokens.access_token(
                user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
            )
        )

    return mint
