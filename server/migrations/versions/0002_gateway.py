"""Gateway: policy versions, service keys, daily token quotas, metered usage.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE gateway_policy_versions (
            version      integer PRIMARY KEY,
            document     text NOT NULL,
            comment      text NOT NULL DEFAULT '',
            diff         text NOT NULL DEFAULT '',
            author_id    uuid REFERENCES users (id),
            author_email text NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE gateway_service_keys (
            id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name           text NOT NULL UNIQUE,
            service        text NOT NULL,
            key_hash       bytea NOT NULL UNIQUE,
            key_prefix     text NOT NULL,
            models         text[] NOT NULL,
            assistants     text[] NOT NULL DEFAULT '{}',
            data_classes   text[] NOT NULL,
            tokens_per_day bigint CHECK (tokens_per_day > 0),
            created_by     text NOT NULL,
            created_at     timestamptz NOT NULL DEFAULT now(),
            revoked_by     text,
            revoked_at     timestamptz
        );

        -- One row per subject and day (Europe/Paris): `reserved` is held by calls in flight.
        CREATE TABLE gateway_quota_usage (
            subject  text NOT NULL,
            day      date NOT NULL,
            used     bigint NOT NULL DEFAULT 0 CHECK (used >= 0),
            reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
            PRIMARY KEY (subject, day)
        );

        CREATE TABLE gateway_usage (
            id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at              timestamptz NOT NULL DEFAULT now(),
            operation       text NOT NULL,
            caller_kind     text NOT NULL,
            caller_id       text NOT NULL,
            caller_name     text NOT NULL,
            service         text NOT NULL DEFAULT '',
            job_category    text NOT NULL DEFAULT '',
            assistant       text,
            requested_model text NOT NULL,
            used_model      text,
            data_class      text,
            findings        text[] NOT NULL DEFAULT '{}',
            rule            text,
            reason          text NOT NULL DEFAULT '',
            status_code     integer NOT NULL,
            error_code      text,
            stream          boolean NOT NULL DEFAULT false,
            input_tokens    integer NOT NULL DEFAULT 0,
            output_tokens   integer NOT NULL DEFAULT 0,
            latency_ms      double precision NOT NULL DEFAULT 0,
            cost_eur        numeric(14, 6) NOT NULL DEFAULT 0,
            policy_version  integer
        );
        CREATE INDEX gateway_usage_at_idx ON gateway_usage (at);
        """
    )


def downgrade() -> None:
    op.execute(
        "DROP TABLE gateway_usage; DROP TABLE gateway_quota_usage; "
        "DROP TABLE gateway_service_keys; DROP TABLE gateway_policy_versions"
    )
