"""Reserved for issue 15 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 15 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
