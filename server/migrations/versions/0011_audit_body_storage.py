"""Audit bodies: compressed with lz4 where the server has it, else stored uncompressed.

A run's records are written durably before its answer goes out, so their write is on the answer's
path. PostgreSQL's default TOAST compression (pglz) spent about 2 ms per 120 kB transcript record,
the largest part of the audit trail's cost per chat turn; lz4 costs a fraction of that, and where
the server is built without it (the embedded server) bodies are stored out of line uncompressed:
about twice the disk for large bodies, which the retention setting bounds.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        DO $$
        BEGIN
            ALTER TABLE audit_records ALTER COLUMN body SET COMPRESSION lz4;
        EXCEPTION WHEN feature_not_supported THEN
            ALTER TABLE audit_records ALTER COLUMN body SET STORAGE EXTERNAL;
        END
        $$;
        """
    )


def downgrade() -> None:
    op.execute(
        "ALTER TABLE audit_records ALTER COLUMN body SET STORAGE EXTENDED; "
        "ALTER TABLE audit_records ALTER COLUMN body SET COMPRESSION pglz;"
    )
