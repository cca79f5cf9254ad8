"""The key that signs the trace context Ariane's own parts pass each other (issue 16).

A caller's `traceparent` is honoured only when it carries this key's signature: one made outside
could otherwise add spans to any run's trace. Every replica reads the same key.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """One row, made at the first start by whichever replica comes first."""
    op.execute(
        """
        CREATE TABLE trace_context_key (
            id  smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
            key bytea NOT NULL CHECK (length(key) >= 32)
        )
        """
    )


def downgrade() -> None:
    """Drop the key: trace contexts are no longer honoured across processes until it is back."""
    op.execute("DROP TABLE trace_context_key")
