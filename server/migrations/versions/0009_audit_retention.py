"""Audit retention: the one deliberate way to delete audit records (after a signed cut).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

The append-only trigger now lets a DELETE through for one row only when the transaction said, with
`set_config('ariane.audit_purge_upto', N, true)`, that it is purging records up to N, the row is one of
them, and a `retention_cut` record stating N is already in the store (the purge appends it first, in the
same transaction). UPDATE, TRUNCATE and any other DELETE are still refused. This is a guard against
mistakes, not the security boundary: anyone may set the variable, and a superuser can bypass triggers
anyway; what proves a purge legitimate is the cut's signature, checked by verification.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            upto bigint;
        BEGIN
            IF TG_OP = 'DELETE' AND TG_LEVEL = 'ROW' THEN
                upto := nullif(current_setting('ariane.audit_purge_upto', true), '')::bigint;
                IF upto IS NOT NULL AND OLD.seq <= upto AND EXISTS (
                    SELECT 1 FROM audit_records c
                    WHERE c.kind = 'retention_cut' AND c.seq > upto AND c.name = 'upto ' || upto
                ) THEN
                    RETURN OLD;
                END IF;
            END IF;
            RAISE EXCEPTION 'audit_records is append-only (% refused)', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_records is append-only (% refused)', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$;
        """
    )
