"""Reserved for issue 19 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 19 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
