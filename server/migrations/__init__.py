"""Database migrations (Alembic), applied by `ariane db migrate` and at every start."""

from server.migrations.runner import current_revision, head_revision, migrate

__all__ = ["current_revision", "head_revision", "migrate"]
