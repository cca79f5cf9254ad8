"""Knowledge: documents, chunks with embeddings (HNSW) and French full-text index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SELECT 1")  # filled in by its issue


def downgrade() -> None:
    pass
