"""Run Alembic programmatically: no alembic.ini to keep in sync, the URL comes from the settings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from langgraph.checkpoint.postgres import PostgresSaver
from psycopg.rows import dict_row
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from tools.database import sqlalchemy_url

_SCRIPTS = Path(__file__).resolve().parent


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.attributes["url"] = sqlalchemy_url(url)
    return config


MIGRATION_LOCK = 7_231_004_117  # pg_advisory_lock key held while one process migrates


def migrate(url: str) -> str:
    """Upgrade the database at `url` to the newest revision and return that revision.

    Under an advisory lock: two processes migrating at once (two init steps of a rollout, `ariane up`
    next to `ariane db migrate`) run one after the other, the second finding nothing left to do.
    LangGraph's checkpointer then applies its own migrations (it keeps track of them itself), so that
    a newer LangGraph's schema changes are applied too.
    """
    with psycopg.connect(url, autocommit=True) as lock:
        lock.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            command.upgrade(_config(url), "head")
            record_revisions(url)
            with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
                PostgresSaver(conn).setup()
        finally:
            lock.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    return head_revision()


@cache
def head_revision() -> str:
    """The newest revision the code knows."""
    head = ScriptDirectory.from_config(_config("")).get_current_head()
    if head is None:
        raise RuntimeError("no migration found")
    return head


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _revisions() -> list[tuple[str, bool]]:
    """Every revision of the code, oldest first, with whether it is additive (`additive = True`)."""
    scripts = ScriptDirectory.from_config(_config(""))
    chain = [
        (script.revision, bool(getattr(script.module, "additive", False)))
        for script in scripts.walk_revisions()
    ]
    return list(reversed(chain))


def record_revisions(url: str) -> None:
    """Write what each applied revision is into `schema_revisions` (after an upgrade)."""
    with psycopg.connect(url, autocommit=True) as conn:
        for revision, additive in _revisions():
            conn.execute(
                "INSERT INTO schema_revisions (revision, additive) VALUES (%s, %s) "
                "ON CONFLICT (revision) DO UPDATE SET additive = EXCLUDED.additive",
                (revision, additive),
            )


def compatibility(database_revision: str | None, later_additive: list[bool] | None) -> str:
    """How this code stands with a database at `database_revision`.

    `current`; `compatible` (migrated further, by additive revisions only: a replica of the previous
    release keeps serving during a rolling update); `behind` (the database needs migrating); `ahead`
    (migrated for a release this code cannot run on).

    `later_additive` tells, for each revision the database has beyond this code's head, whether it
    is additive (None when the database does not say).
    """
    head = head_revision()
    if database_revision == head:
        return "current"
    if database_revision is None or later_additive is None or database_revision < head:
        return "behind"
    return "compatible" if later_additive and all(later_additive) else "ahead"


LATER_REVISIONS = "SELECT additive FROM schema_revisions WHERE revision > %s ORDER BY revision"


def database_compatibility(url: str) -> tuple[str | None, str]:
    """The database's revision and how this code stands with it (see `compatibility`)."""
    revision = current_revision(url)
    later: list[bool] | None = None
    if revision is not None and revision > head_revision():
        with psycopg.connect(url, autocommit=True) as conn:
            try:
                later = [row[0] for row in conn.execute(LATER_REVISIONS, (head_revision(),)).fetchall()]
            except psycopg.errors.UndefinedTable:
                later = None
    return revision, compatibility(revision, later)
