"""Idempotent `/v1` calls (batch rows) and the intake's hash-chained history.

`gateway_idempotency`: one row per caller and `Idempotency-Key`: the request's digest, a claim while
the first call runs, then its answer, which a repeat gets back instead of a second model call.
`intake_events.digest` / `.chain`: each event's SHA-256 and the document's chain of them
(`chain = SHA-256(previous chain ‖ digest)`), so that an altered history is detected; events stored
before this revision have none (the chain starts after them).

Revision ID: 0027
Revises: 0024
Create Date: 2026-12-04
"""

from alembic import op

revision = "0027"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE gateway_idempotency (
            caller          text NOT NULL,
            key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
            request_sha256  text NOT NULL,
            claimed_until   timestamptz,
            status_code     integer,
            content         bytea,
            content_type    text,
            created_at      timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (caller, key)
        );
        CREATE INDEX gateway_idempotency_created_idx ON gateway_idempotency (created_at);
        ALTER TABLE intake_events ADD COLUMN digest text, ADD COLUMN chain text;
        """
    )


def downgrade() -> None:
    op.execute("ALTER TABLE intake_events DROP COLUMN digest, DROP COLUMN chain")
    op.execute("DROP TABLE gateway_idempotency")
