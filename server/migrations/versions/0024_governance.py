"""Reserved for issue 23 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04
"""

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 23 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
