"""Batch letters (Courriers en série): a table's rows, a template, one model call per row.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04

A batch holds the uploaded table's rows (their values, as read), the template and the choices made
(mode, model, data class); each row has its own state, its idempotency key (the batch id and the row
number: a row is sent at most once per attempt, and never again once an answer is stored), its output
and its review. The owner's token is kept sealed (Fernet) for the rows to be sent under the user, and
dropped when the batch ends.
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE batches (
            id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            owner_id         uuid NOT NULL REFERENCES users (id),
            title            text NOT NULL,
            filename         text NOT NULL,
            source           text NOT NULL CHECK (source IN ('upload', 'sharepoint')),
            source_item      text,
            sha256           text NOT NULL,
            columns          jsonb NOT NULL,
            data_class       text NOT NULL CHECK (data_class IN ('public', 'internal', 'personal', 'health')),
            detected_class   text NOT NULL,
            mode             text NOT NULL DEFAULT 'model' CHECK (mode IN ('model', 'merge')),
            model            text,
            temperature      double precision NOT NULL DEFAULT 0,
            max_tokens       integer NOT NULL DEFAULT 1024,
            instruction      text NOT NULL DEFAULT '',
            body             text NOT NULL DEFAULT '',
            review_required  boolean NOT NULL DEFAULT true,
            status           text NOT NULL DEFAULT 'draft'
                             CHECK (status IN ('draft', 'running', 'paused', 'cancelled', 'completed',
                                               'failed')),
            concurrency      integer NOT NULL DEFAULT 4 CHECK (concurrency BETWEEN 1 AND 64),
            total            integer NOT NULL,
            token_sealed     bytea,
            runner           text,
            lease_expires_at timestamptz,
            waiting_until    timestamptz,
            error            text,
            created_at       timestamptz NOT NULL DEFAULT now(),
            launched_at      timestamptz,
            finished_at      timestamptz,
            updated_at       timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX batches_owner_idx ON batches (owner_id, created_at DESC);
        CREATE INDEX batches_running_idx ON batches (lease_expires_at) WHERE status = 'running';

        CREATE TABLE batch_rows (
            batch_id        uuid NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
            number          integer NOT NULL CHECK (number >= 1),
            "values"        jsonb NOT NULL,
            status          text NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'sending', 'done', 'failed', 'refused',
                                              'cancelled')),
            attempts        integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            claimed_by      text,
            data_class      text,
            findings        text[] NOT NULL DEFAULT '{}',
            output          text,
            model_used      text,
            error_code      text,
            error           text,
            review          text NOT NULL DEFAULT 'pending'
                            CHECK (review IN ('pending', 'accepted', 'edited', 'rejected')),
            edited          text,
            reviewed_by     uuid REFERENCES users (id),
            reviewed_at     timestamptz,
            sent_at         timestamptz,
            completed_at    timestamptz,
            PRIMARY KEY (batch_id, number)
        );
        CREATE INDEX batch_rows_todo_idx ON batch_rows (batch_id, next_attempt_at, number)
            WHERE status = 'pending';
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE batch_rows; DROP TABLE batches;")
