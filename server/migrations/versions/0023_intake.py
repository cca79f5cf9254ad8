"""Reserved for issue 22 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04
"""

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 22 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
