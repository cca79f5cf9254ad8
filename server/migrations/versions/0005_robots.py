"""Robots: catalogue, approvals, jobs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE robots (
            id          text PRIMARY KEY,
            spec        jsonb NOT NULL,
            version     integer NOT NULL DEFAULT 1,
            updated_by  text NOT NULL DEFAULT 'catalogue',
            updated_at  timestamptz NOT NULL DEFAULT now()
        );

        -- An approval binds one run's request: the robot, the digest of its exact inputs, the requester.
        CREATE TABLE approvals (
            id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            robot_id         text NOT NULL REFERENCES robots (id),
            robot_version    integer NOT NULL,
            run_id           uuid REFERENCES runs (id) ON DELETE SET NULL,
            thread_id        uuid REFERENCES threads (id) ON DELETE SET NULL,
            checkpoint_key   text NOT NULL,
            requester_id     uuid NOT NULL REFERENCES users (id),
            inputs           jsonb NOT NULL,
            digest           text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
            status           text NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
            approver_id      uuid REFERENCES users (id),
            reason           text,
            created_at       timestamptz NOT NULL DEFAULT now(),
            expires_at       timestamptz NOT NULL,
            decided_at       timestamptz,
            resumed_run_id   uuid REFERENCES runs (id) ON DELETE SET NULL,
            CHECK ((status = 'pending') = (decided_at IS NULL)),
            CHECK (approver_id IS NULL OR approver_id <> requester_id)
        );
        CREATE INDEX approvals_status_idx ON approvals (status, expires_at);
        CREATE INDEX approvals_requester_idx ON approvals (requester_id, created_at DESC);

        -- One job per approval, ever: the approval id is the idempotency key.
        CREATE TABLE jobs (
            id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            approval_id  uuid NOT NULL UNIQUE REFERENCES approvals (id),
            robot_id     text NOT NULL REFERENCES robots (id),
            runner       text NOT NULL CHECK (runner IN ('local', 'uipath')),
            status       text NOT NULL DEFAULT 'queued'
                         CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
            inputs       jsonb NOT NULL,
            digest       text NOT NULL,
            external_id  text,
            outputs      jsonb NOT NULL DEFAULT '{}',
            artifacts    jsonb NOT NULL DEFAULT '[]',
            log          text NOT NULL DEFAULT '',
            error        jsonb,
            workdir      text,
            created_at   timestamptz NOT NULL DEFAULT now(),
            started_at   timestamptz,
            finished_at  timestamptz
        );
        CREATE INDEX jobs_status_idx ON jobs (status);

        CREATE TABLE job_transitions (
            job_id  uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            seq     integer NOT NULL,
            status  text NOT NULL,
            detail  text NOT NULL DEFAULT '',
            at      timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (job_id, seq)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE job_transitions; DROP TABLE jobs; DROP TABLE approvals; DROP TABLE robots;")
