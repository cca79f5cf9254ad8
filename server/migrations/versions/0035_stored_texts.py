"""Texts decided once and shown later are kept by id and parameters, beside their French sentence.

A firing's detail, a robot job's transition, an intake document's last error, a drift evaluation's
error and a tool server's health were kept as French sentences only, so an English reader read them in French.
Each now also keeps the catalogue's id and parameters (`tools.i18n.Text.stored()`), rendered in the
reader's language when read. The sentence columns are still written (in French): the previous
release reads them, and rows stored before this revision are shown as they were.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06
"""

from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None
additive = True  # only adds nullable columns: the code of 0034 runs on it unchanged


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE automation_firings ADD COLUMN detail_text jsonb;
        ALTER TABLE job_transitions ADD COLUMN detail_text jsonb;
        ALTER TABLE intake_documents ADD COLUMN error_text jsonb;
        ALTER TABLE governance_eval_runs ADD COLUMN error_text jsonb;
        ALTER TABLE tool_servers ADD COLUMN health_detail_text jsonb;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        ALTER TABLE tool_servers DROP COLUMN health_detail_text;
        ALTER TABLE governance_eval_runs DROP COLUMN error_text;
        ALTER TABLE intake_documents DROP COLUMN error_text;
        ALTER TABLE job_transitions DROP COLUMN detail_text;
        ALTER TABLE automation_firings DROP COLUMN detail_text;
        """
    )
