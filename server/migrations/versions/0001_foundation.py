"""Foundation: the extensions Ariane relies on, and the users seen at sign-in.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        """
        CREATE TABLE users (
            id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            issuer       text NOT NULL,
            subject      text NOT NULL,
            email        text NOT NULL,
            display_name text NOT NULL,
            job_title    text NOT NULL DEFAULT '',
            service      text NOT NULL DEFAULT '',
            job_category text NOT NULL DEFAULT '',
            roles        text[] NOT NULL DEFAULT '{}',
            first_seen   timestamptz NOT NULL DEFAULT now(),
            last_seen    timestamptz NOT NULL DEFAULT now(),
            UNIQUE (issuer, subject)
        )
        """
    )
    op.execute("CREATE INDEX users_email_idx ON users (lower(email))")


def downgrade() -> None:
    op.execute("DROP TABLE users")
