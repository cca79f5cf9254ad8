"""Audit retention: signed cuts (reserved).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved so that parallel branches chain; filled in by its branch."""


def downgrade() -> None:
    """Nothing to undo."""
