"""Answers: why a run fell back to extractive (`runs.fallback`); the coach's contact from its documents.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# Version 1 of the coach (migration 0004) gave a telephone extension that none of its documents
# gives; the regulation, the on-call note and the CET notes all say « poste 4 12 34 ».
_OLD_CONTACT = "la cellule temps de travail de la DRH (poste 4521)"
_NEW_CONTACT = "la cellule temps de travail de la DRH (poste 4 12 34)"


def upgrade() -> None:
    op.execute(
        """
        -- {"reason": no_model | data_class_refused | quota_exceeded | model_failed | model_unusable,
        --  "detail": French sentence, "model": id or null}; null when a generative model answered.
        ALTER TABLE runs ADD COLUMN fallback jsonb;
        """
    )
    # A new version of the coach, only if its current one still has the wrong contact (an edit made
    # through the API since is the author's choice and stays).
    op.execute(
        f"""
        WITH current AS (
            SELECT v.* FROM assistants a
            JOIN assistant_versions v ON v.assistant_id = a.id AND v.version = a.current_version
            WHERE a.id = 'coach-temps-de-travail' AND v.contact = '{_OLD_CONTACT}'
        ), added AS (
            INSERT INTO assistant_versions (assistant_id, version, name, description, instructions,
                data_class, models, tools, workflows, knowledge, contact, starter_prompts,
                audience_roles, audience_services, created_by)
            SELECT assistant_id, version + 1, name, description, instructions, data_class, models, tools,
                   workflows, knowledge, '{_NEW_CONTACT}', starter_prompts, audience_roles,
                   audience_services, created_by
            FROM current
            RETURNING assistant_id, version
        )
        UPDATE assistants a SET current_version = added.version, updated_at = now()
        FROM added WHERE a.id = added.assistant_id
        """
    )


def downgrade() -> None:
    op.execute("ALTER TABLE runs DROP COLUMN fallback")
