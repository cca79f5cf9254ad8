"""Confirmations of held tool calls: the exact call a run was refused until its user decides.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """One row per held call: what would run, the tool's approved digest then, and the decision."""
    op.execute(
        """
        CREATE TABLE tool_confirmations (
            id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            run_id         uuid NOT NULL UNIQUE REFERENCES runs (id) ON DELETE CASCADE,
            thread_id      uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
            user_id        uuid NOT NULL REFERENCES users (id),
            server         text NOT NULL,
            tool           text NOT NULL,
            arguments      jsonb NOT NULL,
            digest         text NOT NULL,
            status         text NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'confirmed', 'declined')),
            created_at     timestamptz NOT NULL DEFAULT now(),
            decided_at     timestamptz,
            result_run_id  uuid REFERENCES runs (id) ON DELETE SET NULL,
            CHECK ((status = 'pending') = (decided_at IS NULL))
        );
        CREATE INDEX tool_confirmations_thread_idx ON tool_confirmations (thread_id, created_at);
        """
    )


def downgrade() -> None:
    """Drop the table."""
    op.execute("DROP TABLE tool_confirmations;")
