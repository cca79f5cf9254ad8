"""A batch letter keeps the language of the user who created it.

Its rows run in the background, long after the request: their errors (the gateway's refusal, a
failure after retries) are written in that language, and each row's call asks the gateway for it
(`Accept-Language`). Batches created before this revision have none and stay French.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06
"""

from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None
additive = True  # only adds a nullable column: the code of 0035 runs on it unchanged


def upgrade() -> None:
    op.execute("ALTER TABLE batches ADD COLUMN language text")


def downgrade() -> None:
    op.execute("ALTER TABLE batches DROP COLUMN language")
