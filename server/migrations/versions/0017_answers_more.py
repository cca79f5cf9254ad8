"""Reserved for issue 15 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 15 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
