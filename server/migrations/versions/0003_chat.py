"""Chat: threads, runs and their event log; LangGraph's checkpoint tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import psycopg
from alembic import op
from langgraph.checkpoint.postgres import PostgresSaver
from psycopg.rows import dict_row

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE threads (
            id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id      uuid NOT NULL REFERENCES users (id),
            title        text NOT NULL,
            assistant_id text,
            created_at   timestamptz NOT NULL DEFAULT now(),
            updated_at   timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX threads_user_idx ON threads (user_id, updated_at DESC);

        CREATE TABLE runs (
            id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            thread_id   uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
            user_id     uuid NOT NULL REFERENCES users (id),
            status      text NOT NULL DEFAULT 'running'
                        CHECK (status IN ('running', 'done', 'failed', 'stopped', 'interrupted')),
            request     text NOT NULL,
            workflow    text,
            mode        text CHECK (mode IN ('generative', 'extractive')),
            answer      text,
            citations   jsonb NOT NULL DEFAULT '[]',
            dropped     jsonb NOT NULL DEFAULT '[]',
            error       jsonb,
            created_at  timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz
        );
        CREATE INDEX runs_thread_idx ON runs (thread_id, created_at);
        CREATE UNIQUE INDEX runs_one_running_per_thread ON runs (thread_id) WHERE status = 'running';

        CREATE TABLE run_events (
            run_id     uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            seq        integer NOT NULL,
            type       text NOT NULL,
            data       jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (run_id, seq)
        );
        """
    )
    # LangGraph's checkpointer owns its schema; its setup creates indexes CONCURRENTLY, which cannot
    # run inside a transaction, so it gets a connection of its own in autocommit mode.
    url = op.get_bind().engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        PostgresSaver(conn).setup()


def downgrade() -> None:
    op.execute("DROP TABLE run_events; DROP TABLE runs; DROP TABLE threads;")
    op.execute("DROP TABLE IF EXISTS checkpoint_writes, checkpoint_blobs, checkpoints, checkpoint_migrations")
