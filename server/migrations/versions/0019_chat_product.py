"""The chat product: feedback per run, full-text search over conversations, notification reads.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Feedback table, French full-text indexes on runs and thread titles, notification reads."""
    op.execute(
        """
        CREATE TABLE run_feedback (
            run_id     uuid PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
            user_id    uuid NOT NULL REFERENCES users (id),
            rating     text NOT NULL CHECK (rating IN ('up', 'down')),
            comment    text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX run_feedback_updated_idx ON run_feedback (updated_at DESC);
        CREATE INDEX runs_assistant_idx ON runs (assistant_id, created_at DESC);

        -- Expression indexes (no table rewrite): queries must use the very same expressions.
        CREATE INDEX runs_search_idx ON runs
            USING gin (to_tsvector('french', request || ' ' || coalesce(answer, '')));
        CREATE INDEX threads_search_idx ON threads USING gin (to_tsvector('french', title));

        CREATE TABLE notification_reads (
            user_id      uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            jobs_seen_at timestamptz NOT NULL DEFAULT now()
        );
        """
    )


def downgrade() -> None:
    """Drop what upgrade made."""
    op.execute(
        """
        DROP TABLE notification_reads;
        DROP INDEX threads_search_idx;
        DROP INDEX runs_search_idx;
        DROP INDEX runs_assistant_idx;
        DROP TABLE run_feedback;
        """
    )
