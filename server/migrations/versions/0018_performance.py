"""Reserved for issue 18 (parallel branches each fill their own revision; the chain stays linear).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet: issue 18 fills this revision on its branch."""


def downgrade() -> None:
    """Nothing to undo."""
