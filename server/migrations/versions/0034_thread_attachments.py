"""Files attached to a conversation: the file, and its passages with their vectors.

Rows belong to a thread and go with it (ON DELETE CASCADE): an attachment is read for that
conversation only, and deleting the conversation deletes the file and every passage of it. The file
itself is kept in the database, never on a replica's disk, so that any replica can serve it.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06
"""

from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None
additive = True  # only adds tables: the code of 0033 runs on it unchanged


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE thread_attachments (
            id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            thread_id   uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
            filename    text NOT NULL,
            media_type  text NOT NULL,
            content     bytea NOT NULL,
            sha256      text NOT NULL,
            size_bytes  integer NOT NULL,
            pages       integer NOT NULL DEFAULT 0,
            chunks      integer NOT NULL DEFAULT 0,
            ocr         boolean NOT NULL DEFAULT false,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX thread_attachments_thread_idx ON thread_attachments (thread_id, created_at);

        CREATE TABLE thread_attachment_chunks (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            attachment_id uuid NOT NULL REFERENCES thread_attachments (id) ON DELETE CASCADE,
            thread_id     uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
            ordinal       integer NOT NULL,
            locator       text NOT NULL,
            page          integer,
            heading       text,
            text          text NOT NULL,
            embedding     vector(384) NOT NULL,
            tsv           tsvector GENERATED ALWAYS AS (to_tsvector('french', text)) STORED,
            UNIQUE (attachment_id, ordinal)
        );
        CREATE INDEX thread_attachment_chunks_thread_idx ON thread_attachment_chunks (thread_id);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE thread_attachment_chunks; DROP TABLE thread_attachments")
