"""Assistants and knowledge: assistant definitions and versions, knowledge documents and chunks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SELECT 1")  # filled in by its issue


def downgrade() -> None:
    pass
