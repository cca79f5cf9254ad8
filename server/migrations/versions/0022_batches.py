"""Reserved for issue 21 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04
"""

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 21 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
