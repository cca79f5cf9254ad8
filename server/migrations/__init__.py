"""Database migrations (Alembic), applied by `ariane db migrate` (and `ariane up` at start)."""

from server.migrations.runner import (
    LATER_REVISIONS,
    compatibility,
    current_revision,
    database_compatibility,
    head_revision,
    migrate,
)

__all__ = [
    "LATER_REVISIONS",
    "compatibility",
    "current_revision",
    "database_compatibility",
    "head_revision",
    "migrate",
]
