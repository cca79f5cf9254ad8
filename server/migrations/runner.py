"""Run Alembic programmatically: no alembic.ini to keep in sync, the URL comes from the settings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from tools.database import sqlalchemy_url

_SCRIPTS = Path(__file__).resolve().parent


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.attributes["url"] = sqlalchemy_url(url)
    return config


def migrate(url: str) -> str:
    """Upgrade the database at `url` to the newest revision and return that revision."""
    command.upgrade(_config(url), "head")
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
