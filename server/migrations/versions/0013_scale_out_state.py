"""Reserved for issue 17 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 17 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
