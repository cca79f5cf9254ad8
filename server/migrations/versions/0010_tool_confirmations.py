"""Confirmations of held tool calls (reserved).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved so that parallel branches chain; filled in by its branch."""


def downgrade() -> None:
    """Nothing to undo."""
