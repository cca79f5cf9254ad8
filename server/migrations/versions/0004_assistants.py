"""Assistants: definitions, their immutable versions, the two built-in assistants; runs record theirs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import json

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The built-in assistants as version 1. Written out here (not imported from the app) so that this
# revision means the same thing forever; later edits are new versions made through the API.
_BUILTINS = [
    {
        "id": "ariane",
        "name": "Assistant Ariane",
        "description": "L'assistant généraliste : résume vos réunions, répond à partir des documents "
        "SharePoint, consulte votre agenda et prépare les demandes de lancement de robots.",
        "instructions": "",
        "data_class": "internal",
        "tools": ["calendar", "documents", "meetings", "robots"],
        "workflows": ["meeting_summary", "document_question", "tool_agent", "robot_request"],
        "knowledge": None,
        "contact": "",
        "starter_prompts": [
            "Résume-moi l'assemblée générale DTNIB en 4 points",
            "Quelles réunions ai-je cette semaine ?",
            "Que dit le règlement sur le travail de nuit ?",
        ],
    },
    {
        "id": "coach-temps-de-travail",
        "name": "Coach Temps de Travail",
        "description": "Répond à vos questions sur le temps de travail (astreintes, congés, compte "
        "épargne-temps, temps partiel, formation, travail de nuit) à partir du règlement intérieur "
        "et des notes de service de la DRH, avec les passages cités.",
        "instructions": (
            "Tu es le Coach Temps de Travail du CHRU Exemple. Réponds de façon fiable et "
            "professionnelle, en t'appuyant strictement sur le règlement intérieur de gestion du temps "
            "de travail (RIGTT) et les notes de service fournies. N'invente rien : si ces textes ne "
            "couvrent pas la question, dis-le clairement. Explique simplement, en quelques phrases "
            "courtes, et cite les passages sur lesquels tu t'appuies. Invite toujours l'agent à faire "
            "confirmer sa situation par la cellule temps de travail de la DRH."
        ),
        "data_class": "internal",
        "tools": ["knowledge"],
        "workflows": ["knowledge_question"],
        "knowledge": "coach-temps-de-travail",
        "contact": "la cellule temps de travail de la DRH (poste 4521)",
        "starter_prompts": [
            "Comment est compensé mon temps d'astreinte ?",
            "Combien de jours puis-je placer sur mon compte épargne-temps ?",
            "Le temps de formation compte-t-il comme du temps de travail ?",
        ],
    },
]


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE assistants (
            id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
            current_version integer NOT NULL DEFAULT 1,
            builtin         boolean NOT NULL DEFAULT false,
            author_id       uuid REFERENCES users (id),
            created_at      timestamptz NOT NULL DEFAULT now(),
            updated_at      timestamptz NOT NULL DEFAULT now(),
            archived_at     timestamptz
        );

        CREATE TABLE assistant_versions (
            assistant_id      text NOT NULL REFERENCES assistants (id),
            version           integer NOT NULL CHECK (version >= 1),
            name              text NOT NULL CHECK (length(btrim(name)) > 0),
            description       text NOT NULL DEFAULT '',
            instructions      text NOT NULL DEFAULT '',
            data_class        text NOT NULL
                              CHECK (data_class IN ('public', 'internal', 'personal', 'health')),
            models            text[] NOT NULL DEFAULT '{}',
            tools             text[] NOT NULL DEFAULT '{}',
            workflows         text[] NOT NULL DEFAULT '{}',
            knowledge         text,
            contact           text NOT NULL DEFAULT '',
            starter_prompts   text[] NOT NULL DEFAULT '{}',
            audience_roles    text[] NOT NULL DEFAULT '{}',
            audience_services text[] NOT NULL DEFAULT '{}',
            created_by        uuid REFERENCES users (id),
            created_at        timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (assistant_id, version)
        );

        -- A version is evidence of what a run honoured: it is never changed nor removed.
        CREATE FUNCTION assistant_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'assistant versions are immutable';
        END $$;
        CREATE TRIGGER assistant_versions_no_change BEFORE UPDATE OR DELETE ON assistant_versions
            FOR EACH ROW EXECUTE FUNCTION assistant_versions_immutable();

        ALTER TABLE runs ADD COLUMN assistant_id text, ADD COLUMN assistant_version integer;
        """
    )
    for assistant in _BUILTINS:
        # The definition travels as one JSON literal (quotes doubled), unpacked by SQL.
        payload = json.dumps(assistant, ensure_ascii=False).replace("'", "''")
        op.execute(
            f"""
            WITH source AS (SELECT '{payload}'::jsonb AS d),
            created AS (
                INSERT INTO assistants (id, builtin) SELECT d ->> 'id', true FROM source RETURNING id
            )
            INSERT INTO assistant_versions (assistant_id, version, name, description, instructions,
                data_class, tools, workflows, knowledge, contact, starter_prompts)
            SELECT created.id, 1, d ->> 'name', d ->> 'description', d ->> 'instructions',
                   d ->> 'data_class',
                   ARRAY(SELECT jsonb_array_elements_text(d -> 'tools')),
                   ARRAY(SELECT jsonb_array_elements_text(d -> 'workflows')),
                   d ->> 'knowledge', d ->> 'contact',
                   ARRAY(SELECT jsonb_array_elements_text(d -> 'starter_prompts'))
            FROM source, created
            """
        )


def downgrade() -> None:
    op.execute(
        """
        ALTER TABLE runs DROP COLUMN assistant_id, DROP COLUMN assistant_version;
        DROP TABLE assistant_versions;
        DROP FUNCTION assistant_versions_immutable();
        DROP TABLE assistants;
        """
    )
