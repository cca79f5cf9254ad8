import httpx
import psycopg
import pytest

from server.migrations import head_revision
from tests.postgres import url_for_database

pytestmark = pytest.mark.anyio


async def test_healthz_answers_without_a_token(api):
    response = await api.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_reports_the_migrated_revision(api):
    response = await api.get("/readyz")

    assert (response.status_code, response.json()) == (
        200, {"status": "ready", "database": head_revision(), "code": head_revision(), "standing": "current"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("additive", "status", "answer"), [(True, 200, "compatible"), (False, 503, "database_ahead")]
)
async def test_readyz_accepts_a_database_migrated_further_by_additive_revisions_only(
    api, database_url, additive, status, answer
):
    with psycopg.connect(database_url, autocommit=True) as conn:  # the next release's migration ran
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.execute("INSERT INTO schema_revisions (revision, additive) VALUES ('9999', %s)", (additive,))

    response = await api.get("/readyz")

    body = response.json()
    assert (response.status_code, body.get("standing") or body.get("error")) == (status, answer)


async def test_readyz_is_503_on_a_database_that_was_never_migrated(postgres_server, settings, tenant_app):
    from pydantic import SecretStr

    from server.app import create_app

    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS never_migrated")
        conn.execute("CREATE DATABASE never_migrated")
    url = url_for_database(postgres_server, "never_migrated")
    app = create_app(settings.model_copy(update={"database_url": SecretStr(url)}))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            response = await client.get("/readyz")
            english = await client.get("/readyz", headers={"Accept-Language": "en"})

    assert (response.status_code, response.json()["error"]) == (503, "database_not_migrated")
    assert (
        response.json()["detail"] == "La base de données n'est pas initialisée : lancez `ariane db migrate`."
    )
    assert english.json()["detail"] == "The database is not initialised: run `ariane db migrate`."


async def test_openapi_document_describes_the_api(api):
    response = await api.get("/openapi.json")

    assert response.status_code == 200
    assert {"/api/me", "/healthz", "/readyz", "/auth/config"} <= set(response.json()["paths"])


async def test_the_vector_extension_is_created_by_the_migrations(database_url):
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()

    assert row is not None
