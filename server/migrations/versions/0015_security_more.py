"""Reserved for issue 16 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 16 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
