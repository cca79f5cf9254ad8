"""Audit evidence shared by replicas: anchors and retention cuts in the database, append-only.

`audit_anchors` (0013) receives the signed chain heads that were written to each process's
`anchors.jsonl`; `audit_cuts` keeps every signed retention cut (the store keeps only the latest cut
records: a later purge deletes the earlier ones). The signatures are made with the anchor key, which
the database never holds; both tables refuse UPDATE, DELETE and TRUNCATE like `audit_records`.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04
"""

from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None
additive = True  # only adds: the code of 0027 runs on it unchanged (it never reads these tables)


def upgrade() -> None:
    op.execute(
        """
        CREATE UNIQUE INDEX audit_anchors_signature_idx ON audit_anchors (signature);

        CREATE TABLE audit_cuts (
            id         bigserial PRIMARY KEY,
            store      text NOT NULL,
            upto       bigint NOT NULL,
            body       text NOT NULL,
            signature  text NOT NULL UNIQUE,
            stored_at  timestamptz NOT NULL DEFAULT now()
        );

        CREATE FUNCTION audit_evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$;
        CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE ON audit_anchors
            FOR EACH ROW EXECUTE FUNCTION audit_evidence_append_only();
        CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
            FOR EACH STATEMENT EXECUTE FUNCTION audit_evidence_append_only();
        CREATE TRIGGER audit_cuts_append_only BEFORE UPDATE OR DELETE ON audit_cuts
            FOR EACH ROW EXECUTE FUNCTION audit_evidence_append_only();
        CREATE TRIGGER audit_cuts_no_truncate BEFORE TRUNCATE ON audit_cuts
            FOR EACH STATEMENT EXECUTE FUNCTION audit_evidence_append_only();
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE audit_cuts;
        DROP TRIGGER audit_anchors_append_only ON audit_anchors;
        DROP TRIGGER audit_anchors_no_truncate ON audit_anchors;
        DROP FUNCTION audit_evidence_append_only();
        DROP INDEX audit_anchors_signature_idx;
        """
    )
