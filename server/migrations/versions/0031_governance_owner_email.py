"""Governance sheets: the owner's mail address, where drift alerts reach an owner who never signed in.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05
"""

from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None
additive = True  # only adds a defaulted column: the code of 0030 runs on it unchanged


def upgrade() -> None:
    op.execute("ALTER TABLE governance_sheets ADD COLUMN owner_email text NOT NULL DEFAULT ''")


def downgrade() -> None:
    op.execute("ALTER TABLE governance_sheets DROP COLUMN owner_email")
