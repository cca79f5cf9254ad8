"""Courrier entrant: scanned documents, their pages, their history, the straight-through threshold.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        -- One row per scanned document; `status` is the step it is at, so that a restart resumes it
        -- there. A worker holds a document while `lease_until` is in the future.
        CREATE TABLE intake_documents (
            id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            digest           text NOT NULL UNIQUE CHECK (digest ~ '^[0-9a-f]{64}$'),
            file_name        text NOT NULL,
            media_type       text NOT NULL,
            size_bytes       integer NOT NULL,
            source           text NOT NULL CHECK (source IN ('upload', 'folder', 'api')),
            imported_by      uuid REFERENCES users (id),
            status           text NOT NULL DEFAULT 'received' CHECK (status IN (
                                 'received', 'read', 'structured', 'matched', 'to_validate',
                                 'integrating', 'integrated', 'rejected', 'failed')),
            attempts         integer NOT NULL DEFAULT 0,
            lease_owner      text,
            lease_until      timestamptz,
            error            text,
            page_count       integer,
            fields           jsonb NOT NULL DEFAULT '{}',
            match            jsonb,
            route            text CHECK (route IN ('straight_through', 'validation')),
            confidence       real,
            threshold        real,
            chosen_ipp       text,
            chosen_nda       text,
            dpi_document_id  text,
            created_at       timestamptz NOT NULL DEFAULT now(),
            updated_at       timestamptz NOT NULL DEFAULT now(),
            integrated_at    timestamptz
        );
        CREATE INDEX intake_documents_runnable_idx ON intake_documents (created_at)
            WHERE status IN ('received', 'read', 'structured', 'matched', 'integrating');
        CREATE INDEX intake_documents_status_idx ON intake_documents (status, created_at);

        -- The original file, byte for byte (its SHA-256 is the document's digest).
        CREATE TABLE intake_originals (
            document_id  uuid PRIMARY KEY REFERENCES intake_documents (id) ON DELETE CASCADE,
            content      bytea NOT NULL
        );

        -- What OCR read on each page: words with boxes and confidences, and a preview image.
        CREATE TABLE intake_pages (
            document_id  uuid NOT NULL REFERENCES intake_documents (id) ON DELETE CASCADE,
            number       integer NOT NULL CHECK (number >= 1),
            width        integer NOT NULL,
            height       integer NOT NULL,
            words        jsonb NOT NULL,
            preview      bytea NOT NULL,
            PRIMARY KEY (document_id, number)
        );

        -- Every step, decision and correction, append-only.
        CREATE TABLE intake_events (
            id           bigserial PRIMARY KEY,
            document_id  uuid NOT NULL REFERENCES intake_documents (id),
            at           timestamptz NOT NULL DEFAULT now(),
            actor_id     uuid REFERENCES users (id),
            kind         text NOT NULL,
            detail       jsonb NOT NULL DEFAULT '{}'
        );
        CREATE INDEX intake_events_document_idx ON intake_events (document_id, id);
        CREATE FUNCTION intake_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'intake_events is append-only';
        END $$;
        CREATE TRIGGER intake_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON intake_events
            FOR EACH STATEMENT EXECUTE FUNCTION intake_events_append_only();

        -- The straight-through threshold as administrators set it: the newest row is in force.
        CREATE TABLE intake_thresholds (
            id         bigserial PRIMARY KEY,
            threshold  real NOT NULL CHECK (threshold BETWEEN 0.5 AND 1.0),
            set_by     uuid NOT NULL REFERENCES users (id),
            set_at     timestamptz NOT NULL DEFAULT now()
        );
        """
    )


def downgrade() -> None:
    op.execute(
        "DROP TABLE intake_thresholds; DROP TABLE intake_events; DROP FUNCTION intake_events_append_only(); "
        "DROP TABLE intake_pages; DROP TABLE intake_originals; DROP TABLE intake_documents;"
    )
