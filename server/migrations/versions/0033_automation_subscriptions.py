"""Graph change-notification subscriptions of mail triggers: one row per automation.

No foreign key to `automations`: a deleted automation's row stays until its subscription is removed
from Graph (the subscriptions round does it). `busy_until` is the lease of the process talking to
Graph about the row, so that two replicas never create two subscriptions for one trigger;
`client_state_hash` is the SHA-256 of the secret Graph echoes in each notification.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06
"""

from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None
additive = True  # only adds a table: the code of 0031 runs on it unchanged


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE automation_subscriptions (
            automation_id uuid PRIMARY KEY,
            subscription_id text UNIQUE,
            client_state_hash text,
            notification_url text,
            expires_at timestamptz,
            busy_until timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE automation_subscriptions")
