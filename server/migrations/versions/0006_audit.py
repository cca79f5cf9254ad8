"""Audit: append-only, hash-chained span and content store.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

One table holds every record (spans, recorded content, run starts and ends, auditor accesses) so that
one sequence orders them all and one chain covers the whole store. `body` is the canonical JSON text
the digest was computed over: it is stored as text, not jsonb, so that the bytes hashed are the bytes
kept. A trigger refuses UPDATE, DELETE and TRUNCATE; a superuser can still bypass it, which is what
the chain and the signed anchors are for.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE audit_records (
            seq         bigint PRIMARY KEY,
            kind        text NOT NULL,
            trace_id    text NOT NULL,
            trace_seq   integer NOT NULL,
            recorded_ns bigint NOT NULL,
            run_id      text,
            name        text,
            body        text NOT NULL,
            digest      bytea NOT NULL,
            chain       bytea NOT NULL,
            trace_chain bytea NOT NULL,
            UNIQUE (trace_id, trace_seq)
        );
        CREATE INDEX audit_records_kind_idx ON audit_records (kind, seq DESC);
        CREATE INDEX audit_records_run_idx ON audit_records (run_id) WHERE run_id IS NOT NULL;
        CREATE INDEX audit_records_name_idx ON audit_records (name, trace_id) WHERE kind = 'span';

        CREATE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_records is append-only (% refused)', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$;
        CREATE TRIGGER audit_records_no_update BEFORE UPDATE OR DELETE ON audit_records
            FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();
        CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
            FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only();
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE audit_records; DROP FUNCTION audit_records_append_only();")
