"""Reserved for issue 20 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 20 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
