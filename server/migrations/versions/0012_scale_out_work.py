"""Work claimed from PostgreSQL: work items with leases, periodic tasks, the processes that hold them.

Every process (`ariane serve`, `ariane worker`, `ariane up`) has a row in `processes` and renews it;
a work item or a periodic task is held under a lease naming its process, renewed by heartbeats and
taken over when it expires. Robot jobs already queued or running become work items, so that a
worker picks them up (a running one is treated as interrupted by its dead owner).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None
additive = True  # only adds: the code of 0011 runs on it unchanged


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE processes (
            id            uuid PRIMARY KEY,
            role          text NOT NULL,
            host          text NOT NULL,
            pid           integer NOT NULL,
            started_ticks bigint,
            started_at    timestamptz NOT NULL DEFAULT now(),
            heartbeat_at  timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE work_items (
            id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            kind             text NOT NULL,
            payload          jsonb NOT NULL DEFAULT '{}',
            idempotency_key  text,
            state            text NOT NULL DEFAULT 'queued'
                             CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
            attempts         integer NOT NULL DEFAULT 0,
            max_attempts     integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
            run_after        timestamptz NOT NULL DEFAULT now(),
            lease_owner      uuid,
            lease_expires_at timestamptz,
            heartbeat_at     timestamptz,
            result           jsonb,
            error            jsonb,
            created_at       timestamptz NOT NULL DEFAULT now(),
            started_at       timestamptz,
            finished_at      timestamptz,
            CHECK ((state = 'running') = (lease_expires_at IS NOT NULL))
        );
        -- Enqueueing twice with one key gives one item: the key is the idempotency of the caller.
        CREATE UNIQUE INDEX work_items_key_idx ON work_items (kind, idempotency_key)
            WHERE idempotency_key IS NOT NULL;
        CREATE INDEX work_items_ready_idx ON work_items (run_after) WHERE state = 'queued';
        CREATE INDEX work_items_leases_idx ON work_items (lease_expires_at) WHERE state = 'running';
        CREATE INDEX work_items_finished_idx ON work_items (finished_at)
            WHERE state IN ('succeeded', 'failed');

        CREATE TABLE periodic_tasks (
            name              text PRIMARY KEY,
            interval_seconds  double precision NOT NULL CHECK (interval_seconds > 0),
            next_run_at       timestamptz NOT NULL,
            lease_owner       uuid,
            lease_expires_at  timestamptz,
            last_started_at   timestamptz,
            last_finished_at  timestamptz,
            last_error        text
        );

        INSERT INTO work_items (kind, payload, idempotency_key)
            SELECT 'robot.job', jsonb_build_object('job_id', id::text), id::text
            FROM jobs WHERE status = 'queued';
        INSERT INTO work_items (kind, payload, idempotency_key, state, attempts, lease_expires_at,
                                started_at)
            SELECT 'robot.job', jsonb_build_object('job_id', id::text), id::text, 'running', 1, now(),
                   started_at
            FROM jobs WHERE status = 'running';
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE periodic_tasks; DROP TABLE work_items; DROP TABLE processes;")
