"""Reserved for issue 16 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 16 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
